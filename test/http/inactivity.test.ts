import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pseudonym } from '../../src/login/pseudonym.ts';
import { housekeeping } from '../../src/platform/jobs/housekeeping.ts';
import type { ComposedMail } from '../../src/platform/mail/compose.ts';
import { Browser, buildTestApp, goodPassword, login, registerVerified, type TestApp } from '../helpers/test-app.ts';

const hour = 3600 * 1000;
const day = 24 * hour;

/** Moves the test clock by calendar months (as PostgreSQL counts them), plus `extraMs`. */
function advanceMonths(t: TestApp, months: number, extraMs = 0): void {
  const now = t.clock.now();
  const later = new Date(now);
  later.setUTCMonth(later.getUTCMonth() + months);
  t.clock.advance(later.getTime() - now.getTime() + extraMs);
}

const warningsTo = (t: TestApp, to: string): ComposedMail[] =>
  t.mails.filter((mail) => mail.to === to && /gelöscht|deleted/.test(mail.subject));

async function runHousekeeping(t: TestApp): Promise<void> {
  await housekeeping(t.app);
  await t.app.jobs.runDue();
}

async function newAccount(t: TestApp, username: string, email: string): Promise<string> {
  const browser = new Browser(t.fastify);
  await registerVerified(t, browser, username, email);
  // The login sets the start of the count to the test clock's time.
  assert.equal((await login(browser, username)).statusCode, 303);
  return (await t.app.accounts.byLogin(username))?.id ?? '';
}

async function inactivityState(t: TestApp, id: string) {
  const result = await t.app.db.query<{ last_active_at: Date; inactivity_warnings: number }>(
    'SELECT last_active_at, inactivity_warnings FROM accounts WHERE id = $1',
    [id],
  );
  return result.rows[0];
}

describe('inactivity deletion (DESIGN.md §7)', () => {
  let t: TestApp;
  let receiver: Server;
  const logoutTokens: string[] = [];
  before(async () => {
    t = await buildTestApp();
    // Mid-month, so calendar months count alike in JavaScript and PostgreSQL (which clamps the 31st).
    const start = t.clock.now();
    t.clock.advance(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 15, 12) - start.getTime());
    receiver = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        logoutTokens.push(new URLSearchParams(body).get('logout_token') ?? '');
        response.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const port = (receiver.address() as AddressInfo).port;
    await t.app.services.upsertOidc(
      {
        client_id: 'kita',
        client_secret: 'a secret long enough for the test client',
        redirect_uris: ['https://kita.example/callback'],
        token_endpoint_auth_method: 'client_secret_basic',
        grant_types: ['authorization_code'],
        response_types: ['code'],
        subject_type: 'pairwise',
        backchannel_logout_uri: `http://127.0.0.1:${port}/backchannel-logout`,
      },
      'Kita-Gebühren',
    );
  });
  after(async () => {
    await t.close();
    await new Promise((resolve) => receiver.close(resolve));
  });

  test('warned at 18 and 21 months, once each even with two runs at once; deleted at 24 months with its data, the consent-holding service told', async () => {
    const id = await newAccount(t, 'anna.k', 'anna@example.org');
    await t.app.consents.grant(id, 'kita', ['openid'], t.clock.now());
    await t.app.attributes.setTyped(id, { given_name: 'Anna' });

    advanceMonths(t, 18, -day);
    await runHousekeeping(t);
    assert.equal(warningsTo(t, 'anna@example.org').length, 0, 'no warning a day before 18 months');

    t.clock.advance(day);
    // Two instances' housekeeping at the same time: one mail.
    await Promise.all([housekeeping(t.app), housekeeping(t.app)]);
    await t.app.jobs.runDue();
    await runHousekeeping(t);
    const first = warningsTo(t, 'anna@example.org');
    assert.equal(first.length, 1, 'one first warning');
    const deletionDay = new Date(t.clock.now().getTime());
    deletionDay.setUTCMonth(deletionDay.getUTCMonth() + 6);
    const dateText = new Intl.DateTimeFormat('de-DE', { dateStyle: 'long', timeZone: 'Europe/Berlin' }).format(
      deletionDay,
    );
    assert.equal(first[0]?.subject, `Ihr Servicekonto wird am ${dateText} gelöscht`);
    assert.match(first[0]?.text ?? '', /melden Sie sich vorher einmal an/);
    assert.match(first[0]?.text ?? '', /http:\/\/localhost:3000\/login/);
    assert.match(first[0]?.text ?? '', /„anna\.k“/);

    advanceMonths(t, 3, -day);
    await runHousekeeping(t);
    assert.equal(warningsTo(t, 'anna@example.org').length, 1, 'no second warning before 21 months');
    t.clock.advance(day);
    await Promise.all([housekeeping(t.app), housekeeping(t.app)]);
    await runHousekeeping(t);
    assert.equal(warningsTo(t, 'anna@example.org').length, 2, 'one second warning at 21 months');
    assert.ok(await t.app.accounts.byId(id), 'still there after the second warning');

    advanceMonths(t, 3, -day);
    await runHousekeeping(t);
    assert.ok(await t.app.accounts.byId(id), 'not deleted before 24 months');
    t.clock.advance(day);
    await runHousekeeping(t);
    assert.equal(await t.app.accounts.byId(id), undefined, 'deleted at 24 months');
    const leftovers = await t.app.db.query(
      'SELECT 1 FROM identity_attributes WHERE account_id = $1 UNION ALL SELECT 1 FROM consents WHERE account_id = $1 UNION ALL SELECT 1 FROM authentication_means WHERE account_id = $1',
      [id],
    );
    assert.equal(leftovers.rowCount, 0, 'its data went with it');
    assert.equal(warningsTo(t, 'anna@example.org').length, 2, 'no further mail');

    // The service holding consent got a back-channel logout token naming the citizen by its pseudonym there.
    assert.equal(logoutTokens.length, 1);
    const claims = JSON.parse(Buffer.from(logoutTokens[0]?.split('.')[1] ?? '', 'base64url').toString()) as {
      sub?: string;
      sid?: string;
      events?: Record<string, unknown>;
    };
    assert.equal(claims.sub, pseudonym(t.app.saml.pseudonymSecret, 'kita.example', id));
    assert.equal(claims.sid, undefined);
    assert.ok(claims.events && 'http://schemas.openid.net/event/backchannel-logout' in claims.events);

    const audit = await t.app.db.query<{ actor: string; details: Record<string, string> }>(
      "SELECT actor, details FROM audit_events WHERE action = 'account.deleted' AND subject = $1",
      [`account:${id}`],
    );
    assert.equal(audit.rows.length, 1);
    assert.equal(audit.rows[0]?.actor, 'system');
    assert.deepEqual(audit.rows[0]?.details, { cause: 'inactivity', servicesTold: 'kita', servicesNotReached: '' });
    assert.doesNotMatch(JSON.stringify(audit.rows), /anna/i);
    assert.equal(await t.app.audit.verify(t.app.db), undefined, 'the audit hash chain is intact');
  });

  test('a login after a warning starts the count again, and the next cycle warns again from the start', async () => {
    const id = await newAccount(t, 'bernd.l', 'bernd@example.org');
    advanceMonths(t, 18, hour);
    await runHousekeeping(t);
    assert.equal(warningsTo(t, 'bernd@example.org').length, 1);

    assert.equal((await login(new Browser(t.fastify), 'bernd.l')).statusCode, 303);
    assert.equal((await inactivityState(t, id))?.inactivity_warnings, 0, 'the login voids the warning');
    advanceMonths(t, 6, hour);
    await runHousekeeping(t);
    assert.equal(warningsTo(t, 'bernd@example.org').length, 1, 'no second warning, no deletion: six months used');
    assert.ok(await t.app.accounts.byId(id));

    advanceMonths(t, 12);
    await runHousekeeping(t);
    assert.equal(warningsTo(t, 'bernd@example.org').length, 2, 'a new first warning 18 months after the login');
    assert.equal((await inactivityState(t, id))?.inactivity_warnings, 1);
  });

  test('using Mein Konto counts as a use, written at most once a day', async () => {
    const browser = new Browser(t.fastify);
    await registerVerified(t, browser, 'carla.m', 'carla@example.org');
    await login(browser, 'carla.m');
    const id = (await t.app.accounts.byLogin('carla.m'))?.id ?? '';
    const twoDaysAgo = new Date(t.clock.now().getTime() - 2 * day);
    await t.app.db.query('UPDATE accounts SET last_active_at = $2, inactivity_warnings = 1 WHERE id = $1', [
      id,
      twoDaysAgo,
    ]);
    t.clock.advance(10 * 60 * 1000);
    assert.equal((await browser.get('/account')).statusCode, 200);
    const used = await inactivityState(t, id);
    assert.equal(used?.last_active_at.getTime(), t.clock.now().getTime());
    assert.equal(used?.inactivity_warnings, 0);

    t.clock.advance(10 * 60 * 1000);
    assert.equal((await browser.get('/account')).statusCode, 200);
    assert.equal(
      (await inactivityState(t, id))?.last_active_at.getTime(),
      used?.last_active_at.getTime(),
      'not written again the same day',
    );
  });

  test('an account found long unused (as after an upgrade) is warned twice before it goes', async () => {
    const id = await newAccount(t, 'dora.n', 'dora@example.org');
    await t.app.db.query('UPDATE accounts SET last_active_at = $2 WHERE id = $1', [
      id,
      new Date(t.clock.now().getTime() - 900 * day),
    ]);
    await runHousekeeping(t);
    assert.equal(warningsTo(t, 'dora@example.org').length, 1, 'only the first warning');
    assert.ok(await t.app.accounts.byId(id), 'not deleted unwarned');
    advanceMonths(t, 3, hour);
    await runHousekeeping(t);
    assert.equal(warningsTo(t, 'dora@example.org').length, 2, 'the second warning three months later');
    assert.ok(await t.app.accounts.byId(id));
    advanceMonths(t, 3, hour);
    await runHousekeeping(t);
    assert.equal(await t.app.accounts.byId(id), undefined, 'deleted three months after the second warning');
  });

  test('a deletion on request goes the same way: the export shows the last use, and the consent-holding service is told', async () => {
    const browser = new Browser(t.fastify);
    await registerVerified(t, browser, 'emil.o', 'emil@example.org');
    await login(browser, 'emil.o');
    const id = (await t.app.accounts.byLogin('emil.o'))?.id ?? '';
    await t.app.consents.grant(id, 'kita', ['openid'], t.clock.now());
    const exported = JSON.parse((await browser.get('/account/export')).body) as {
      account: { last_active_at?: string; inactivity_warnings?: number };
    };
    assert.equal(exported.account.last_active_at, t.clock.now().toISOString());
    assert.equal(exported.account.inactivity_warnings, 0);

    const before = logoutTokens.length;
    const _csrf = await browser.csrf('/account');
    assert.equal((await browser.post('/account/delete', { _csrf, delete_password: goodPassword })).statusCode, 200);
    await t.app.jobs.runDue();
    assert.equal(logoutTokens.length, before + 1, 'the service holding consent got a logout token');
    const audit = await t.app.db.query<{ actor: string; details: Record<string, string> }>(
      "SELECT actor, details FROM audit_events WHERE action = 'account.deleted' AND subject = $1",
      [`account:${id}`],
    );
    assert.equal(audit.rows[0]?.actor, `account:${id}`);
    assert.deepEqual(audit.rows[0]?.details, { cause: 'request', servicesTold: 'kita', servicesNotReached: '' });
  });
});
