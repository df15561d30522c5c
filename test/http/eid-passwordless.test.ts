// An account registered with the eID has no password: on "Mein Konto" a fresh eID login (≤ 15 minutes)
// confirms changes instead, the first password can be set, and no reset mail goes to an unconfirmed address.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { generate } from 'otplib';
import { emailLinks } from '../../src/flows/email-links.ts';
import { termsVersion } from '../../src/flows/registration/terms.ts';
import { readCardAt } from '../helpers/eid-card.ts';
import { Browser, buildTestApp, confirmMailLink, linkFrom, login, type TestApp } from '../helpers/test-app.ts';

const field = (body: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(body)?.[1] ?? '';
const newPassword = 'Drei Hunde bellen im Garten';
const confirmationFields = [
  'current_password',
  'email_password',
  'delete_password',
  'renew_password',
  'means_password',
];

/**
 * Registers with erika's card in `browser` (which keeps the eID session); answers the account id and the confirmation
 * link.
 */
async function registerWithCard(
  t: TestApp,
  browser: Browser,
  email: string,
  username: string,
): Promise<{ accountId: string; verifyLink: string }> {
  const page = await readCardAt(browser, '/register/eid', 'erika');
  assert.equal(page.statusCode, 200, page.body);
  const done = await browser.post('/register/eid/complete', {
    _csrf: field(page.body, '_csrf'),
    transaction: field(page.body, 'transaction'),
    ref: field(page.body, 'ref'),
    email,
    username,
    terms: 'yes',
  });
  assert.equal(done.statusCode, 303, done.body);
  const account = await t.app.accounts.byLogin(email);
  assert.ok(account);
  assert.equal(account.emailVerifiedAt, null);
  const terms = await t.app.db.query('SELECT terms_version FROM accounts WHERE id = $1', [account.id]);
  assert.deepEqual(terms.rows, [{ terms_version: termsVersion }], 'the accepted terms are stored');
  await t.app.jobs.runDue();
  const verifyLink = linkFrom(t.mails.findLast((m) => m.to === email));
  assert.match(verifyLink, /^\/verify-email\?token=/);
  return { accountId: account.id, verifyLink };
}

/** Lets `minutes` pass while the citizen keeps using the page (a session at hoch ends after 5 idle minutes). */
async function pass(t: TestApp, browser: Browser, minutes: number): Promise<void> {
  for (let left = minutes; left > 0; left -= 4) {
    t.clock.advance(Math.min(4, left) * 60_000);
    assert.equal((await browser.get('/account')).statusCode, 200, 'the session is still alive');
  }
}

async function hasPasswordRow(t: TestApp, accountId: string): Promise<boolean> {
  const rows = await t.app.db.query("SELECT 1 FROM authentication_means WHERE account_id = $1 AND kind = 'password'", [
    accountId,
  ]);
  return rows.rowCount === 1;
}

async function auditCount(t: TestApp, action: string): Promise<number> {
  return (await t.app.db.query('SELECT 1 FROM audit_events WHERE action = $1', [action])).rowCount;
}

function assertNoConfirmationFields(page: { body: string }): void {
  for (const name of confirmationFields)
    assert.doesNotMatch(page.body, new RegExp(`name="${name}"`), `no ${name} field`);
}

/** The sections of "Mein Konto" with forms that ask for a confirmation, as one page to search. */
async function formSections(browser: Browser): Promise<{ statusCode: number; body: string }> {
  const pages = await Promise.all(
    ['/account/profile', '/account/security', '/account/data'].map((p) => browser.get(p)),
  );
  return {
    statusCode: Math.max(...pages.map((p) => p.statusCode)),
    body: pages.map((p) => p.body).join('\n'),
  };
}

test('Mein Konto without a password: no password fields, a fresh eID login confirms the deletion, an older one does not', async () => {
  const t = await buildTestApp();
  const browser = new Browser(t.fastify);
  const { accountId } = await registerWithCard(t, browser, 'erika@example.org', 'erika.eid');

  const fresh = await formSections(browser);
  assert.equal(fresh.statusCode, 200);
  assertNoConfirmationFields(fresh);
  assert.match(fresh.body, /<h2 class="kern-heading-medium" id="password-section">Passwort festlegen<\/h2>/);
  assert.match(fresh.body, /name="new_password"/);
  assert.match(fresh.body, /vor höchstens 15 Minuten mit dem Online-Ausweis angemeldet/);
  assert.doesNotMatch(fresh.body, /Passwort ändern/);
  assert.doesNotMatch(fresh.body, /href="\/login\/eid"/, 'no need to log in again yet');

  await pass(t, browser, 16);
  const stale = await formSections(browser);
  assertNoConfirmationFields(stale);
  assert.match(stale.body, /<a class="kern-link" href="\/login\/eid">Mit Online-Ausweis bestätigen<\/a>/);

  let _csrf = await browser.csrf('/account');
  const refused = await browser.post('/account/delete', { _csrf });
  assert.equal(refused.statusCode, 400);
  assert.match(refused.body, /Ihre Anmeldung mit dem Online-Ausweis liegt mehr als 15 Minuten zurück/);
  assert.match(refused.body, /href="#delete_password"/, 'the error summary leads to the note');
  assert.ok(await t.app.accounts.byId(accountId), 'nothing deleted');
  assert.equal(await auditCount(t, 'account.deleted'), 0);
  // A typed password does not help an account that has none.
  assert.equal(
    (await browser.post('/account/delete', { _csrf, delete_password: 'irgendein Passwort hier' })).statusCode,
    400,
  );
  assert.ok(await t.app.accounts.byId(accountId));

  // /login/eid works while logged in and comes back to the account with a fresh eID session.
  const again = await readCardAt(browser, '/login/eid', 'erika');
  assert.equal(again.statusCode, 303);
  assert.equal(again.headers.location, '/account');
  await pass(t, browser, 12);
  const page = await formSections(browser);
  assert.doesNotMatch(page.body, /href="\/login\/eid"/);
  _csrf = await browser.csrf('/account');
  const deleted = await browser.post('/account/delete', { _csrf });
  assert.equal(deleted.statusCode, 200, deleted.body);
  assert.equal(await t.app.accounts.byId(accountId), undefined);
  assert.equal(await auditCount(t, 'account.deleted'), 1);
  await t.close();
});

test('the first password needs a fresh eID login; afterwards the password logs in once the address is confirmed', async () => {
  const t = await buildTestApp();
  const browser = new Browser(t.fastify);
  const { accountId, verifyLink } = await registerWithCard(t, browser, 'erika@example.org', 'erika.eid');

  await pass(t, browser, 16);
  let _csrf = await browser.csrf('/account');
  const refused = await browser.post('/account/password', { _csrf, new_password: newPassword });
  assert.equal(refused.statusCode, 400);
  assert.match(refused.body, /mehr als 15 Minuten zurück/);
  assert.equal(await hasPasswordRow(t, accountId), false);

  assert.equal((await readCardAt(browser, '/login/eid', 'erika')).statusCode, 303);
  _csrf = await browser.csrf('/account');
  const weak = await browser.post('/account/password', { _csrf, new_password: 'qwertyuiop' });
  assert.equal(weak.statusCode, 400, 'the password rules apply');
  assert.equal(await hasPasswordRow(t, accountId), false);
  t.mails.length = 0;
  const set = await browser.follow(
    await browser.post('/account/password', { _csrf, new_password: newPassword }),
    '/account/security',
  );
  assert.equal(set.statusCode, 200, set.body);
  assert.match(set.body, /Ihr Passwort ist festgelegt/);
  assert.equal(await hasPasswordRow(t, accountId), true);
  assert.equal(await auditCount(t, 'password.set'), 1);
  assert.equal(await auditCount(t, 'password.changed'), 0);
  await t.app.jobs.runDue();
  assert.ok(
    t.mails.some((m) => m.to === 'erika@example.org' && m.subject === 'Ihr Passwort wurde geändert'),
    'the citizen is told',
  );

  // Now the account has a password: the page asks for it again, as for every account.
  const page = await formSections(browser);
  assert.match(page.body, /Passwort ändern/);
  for (const name of ['current_password', 'email_password', 'delete_password'])
    assert.match(page.body, new RegExp(`name="${name}"`));
  assert.equal(
    (await browser.post('/account/delete', { _csrf })).statusCode,
    400,
    'the fresh eID login no longer replaces the password',
  );
  assert.ok(await t.app.accounts.byId(accountId));

  // Password login needs a confirmed address.
  assert.equal((await login(new Browser(t.fastify), 'erika.eid', newPassword)).statusCode, 400);
  assert.equal((await confirmMailLink(browser, verifyLink)).statusCode, 303);
  const loggedIn = await login(new Browser(t.fastify), 'erika.eid', newPassword);
  assert.equal(loggedIn.statusCode, 303);
  await t.close();
});

test('removing a means of an account without a password: a fresh eID login confirms, and the eID session stays', async () => {
  const t = await buildTestApp();
  const browser = new Browser(t.fastify);
  const { accountId } = await registerWithCard(t, browser, 'erika@example.org', 'erika.eid');
  const setup = await browser.get('/account/totp/setup');
  assert.equal(setup.statusCode, 200);
  const secret = (/<code class="secret">([^<]+)<\/code>/.exec(setup.body)?.[1] ?? '').replace(/\s/g, '');
  let _csrf = await browser.csrf('/account/totp/setup');
  const added = await browser.post('/account/totp/setup', {
    _csrf,
    code: await generate({ secret, epoch: Math.floor(t.clock.now().getTime() / 1000) }),
  });
  assert.equal(added.statusCode, 200, added.body);
  assertNoConfirmationFields(await formSections(browser));
  const id =
    (
      await t.app.db.query<{ id: string }>(
        "SELECT id FROM authentication_means WHERE account_id = $1 AND kind = 'totp'",
        [accountId],
      )
    ).rows[0]?.id ?? '';

  await pass(t, browser, 16);
  _csrf = await browser.csrf('/account');
  const refused = await browser.post('/account/means/remove', { _csrf, means_id: id });
  assert.equal(refused.statusCode, 400);
  assert.match(refused.body, /mehr als 15 Minuten zurück/);
  assert.equal(
    (await browser.post('/account/recovery-codes', { _csrf })).statusCode,
    400,
    'renewing the codes likewise',
  );

  assert.equal((await readCardAt(browser, '/login/eid', 'erika')).statusCode, 303);
  _csrf = await browser.csrf('/account');
  const renewed = await browser.post('/account/recovery-codes', { _csrf });
  assert.equal(renewed.statusCode, 200);
  const removed = await browser.follow(
    await browser.post('/account/means/remove', { _csrf, means_id: id }),
    '/account/security',
  );
  assert.equal(removed.statusCode, 200, removed.body);
  assert.equal(
    (await t.app.db.query("SELECT 1 FROM authentication_means WHERE account_id = $1 AND kind = 'totp'", [accountId]))
      .rowCount,
    0,
  );
  const session = await t.app.db.query<{ method: string; level: number }>(
    'SELECT method, level FROM sso_sessions WHERE account_id = $1',
    [accountId],
  );
  assert.deepEqual(
    session.rows,
    [{ method: 'eid', level: 4 }],
    'no password session for an account without a password',
  );
  await t.close();
});

test('no reset mail to an eID account with an unconfirmed address or without a password, and no old reset link; then it works as always', async () => {
  const t = await buildTestApp();
  const { accountId, verifyLink } = await registerWithCard(t, new Browser(t.fastify), 'erika@example.org', 'erika.eid');
  t.mails.length = 0;

  const stranger = new Browser(t.fastify);
  const _csrf = await stranger.csrf('/forgot-password');
  const unknown = await stranger.post('/forgot-password', { _csrf, identifier: 'nobody.here' });
  const byName = await stranger.post('/forgot-password', { _csrf, identifier: 'erika.eid' });
  const byAddress = await stranger.post('/forgot-password', { _csrf, identifier: 'erika@example.org' });
  for (const answer of [unknown, byName, byAddress]) assert.equal(answer.statusCode, 200);
  const same = (r: LightMyRequestResponse) => r.body.replace(/value="[^"]*"/g, '');
  assert.equal(same(byName), same(unknown), 'the same answer as for an unknown name');
  assert.equal(same(byAddress), same(unknown));
  await t.app.jobs.runDue();
  assert.deepEqual(t.mails, [], 'no mail');

  // A link that exists anyway (e.g. from the registration form's "already registered" mail) does not work either.
  const token = await emailLinks(t.app.clock).issue(t.app.db, accountId, 'reset_password');
  assert.equal((await stranger.get(`/reset-password?token=${token}`)).statusCode, 400);
  const taken = await stranger.post('/reset-password', { _csrf, token, password: newPassword, password2: newPassword });
  assert.equal(taken.statusCode, 400);
  assert.equal(await hasPasswordRow(t, accountId), false);
  assert.equal((await t.app.accounts.byId(accountId))?.emailVerifiedAt, null, 'the address is not marked confirmed');

  // Confirming the address alone does not open the mail route: the account has no password to reset.
  assert.equal((await confirmMailLink(new Browser(t.fastify), verifyLink)).statusCode, 303);
  await stranger.post('/forgot-password', { _csrf, identifier: 'erika.eid' });
  await t.app.jobs.runDue();
  assert.deepEqual(t.mails, [], 'no mail for an account entered with the card only');
  // Once the citizen set a password after an eID login, the reset mail works as for every account.
  const citizen = new Browser(t.fastify);
  assert.equal((await readCardAt(citizen, '/login/eid', 'erika')).statusCode, 303);
  assert.equal(
    (
      await citizen.post('/account/password', {
        _csrf: await citizen.csrf('/account'),
        new_password: 'Ein ganz anderes Passwort 77',
      })
    ).statusCode,
    303,
  );
  await t.app.jobs.runDue();
  t.mails.length = 0;
  const requested = await stranger.post('/forgot-password', { _csrf, identifier: 'erika.eid' });
  assert.equal(requested.statusCode, 200);
  await t.app.jobs.runDue();
  assert.equal(t.mails.length, 1);
  const link = linkFrom(t.mails[0]);
  assert.match(link, /^\/reset-password\?token=/);
  assert.equal((await stranger.get(link)).statusCode, 200);
  const reset = await stranger.post('/reset-password', {
    _csrf: await stranger.csrf(link),
    token: new URL(link, 'http://x').searchParams.get('token') ?? '',
    password: newPassword,
    password2: newPassword,
  });
  assert.equal(reset.statusCode, 200);
  assert.equal((await login(new Browser(t.fastify), 'erika.eid', newPassword)).statusCode, 303);
  await t.close();
});
