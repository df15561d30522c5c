// Recovery by eID (TR-03160-1; design notes §6): a linked card sets a new password, ends every session,
// optionally blocks every second factor and logs in at hoch; a card not linked needs the account's data
// verified at hoch; the last form counts once and only in the browser that read the card.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { restrictedIdentifier } from '../../src/dev/eid-simulator/restricted-id.ts';
import type { TestCardId } from '../../src/dev/eid-simulator/cards.ts';
import { readCardAt } from '../helpers/eid-card.ts';
import { formFields } from '../helpers/saml-browser.ts';
import { Browser, buildTestApp, goodPassword, login, registerVerified, type TestApp } from '../helpers/test-app.ts';

const newPassword = 'Drei Hunde bellen im Garten nebenan';

async function account(t: TestApp, o: { linked?: TestCardId; verified?: boolean } = {}): Promise<string> {
  await registerVerified(t, new Browser(t.fastify), 'erika.m', 'erika@example.org');
  const found = await t.app.accounts.byLogin('erika.m');
  assert.ok(found && t.app.eid);
  if (o.verified !== false)
    await t.app.attributes.setVerified(
      found.id,
      { given_name: 'Erika', family_name: 'Mustermann', birthdate: '1964-08-12' },
      { source: 'eid', level: 4, at: t.clock.now(), evidence: { document: 'idcard' } },
    );
  if (o.linked)
    assert.ok(
      await t.app.eid.links.link(found.id, {
        restrictedId: restrictedIdentifier(o.linked, t.app.eid.config.sector),
        documentType: 'ID',
        eidType: 'CardCertified',
      }),
    );
  return found.id;
}

async function addSecondFactors(t: TestApp, accountId: string): Promise<void> {
  await t.app.db.query(
    `INSERT INTO authentication_means (account_id, kind, secret, public_data, level) VALUES
     ($1, 'totp', 'x', '{"confirmed": true}', 3), ($1, 'recovery', 'x', NULL, 3), ($1, 'sms', NULL, '{"phone": "+4915112345678"}', 2)`,
    [accountId],
  );
}

/** Posts the page's form to `action` (or its hidden fields to `to`), with the fields a citizen fills in. */
async function submit(
  browser: Browser,
  page: LightMyRequestResponse,
  action: string,
  fields: Record<string, string>,
  to = action,
): Promise<LightMyRequestResponse> {
  const form = new RegExp(`<form method="post" action="${action}"[\\s\\S]*?</form>`).exec(page.body)?.[0];
  assert.ok(form, `a form to ${action}: ${page.body.slice(0, 400)}`);
  return browser.post(to, { ...formFields(form), ...fields });
}

const audit = async (t: TestApp, action: string) =>
  (
    await t.app.db.query<{ outcome: string; details: Record<string, unknown> }>(
      'SELECT outcome, details FROM audit_events WHERE action = $1 ORDER BY id',
      [action],
    )
  ).rows;
const sessionsOf = async (t: TestApp, accountId: string) =>
  (
    await t.app.db.query<{ level: number; method: string }>(
      'SELECT level, method FROM sso_sessions WHERE account_id = $1',
      [accountId],
    )
  ).rows;
const blockedKinds = async (t: TestApp, accountId: string) =>
  (
    await t.app.db.query<{ kind: string }>(
      'SELECT kind FROM authentication_means WHERE account_id = $1 AND blocked_at IS NOT NULL ORDER BY kind',
      [accountId],
    )
  ).rows.map((r) => r.kind);

test('the forgot-password and lost-means pages offer the recovery by eID', async () => {
  const t = await buildTestApp();
  const browser = new Browser(t.fastify);
  assert.match((await browser.get('/forgot-password')).body, /href="\/recover\/eid"/);
  assert.match((await browser.get('/means/lost')).body, /href="\/recover\/eid"/);
  assert.doesNotMatch((await browser.get('/forgot-username')).body, /href="\/recover\/eid"/);
  const handOver = await browser.get('/recover/eid');
  assert.equal(handOver.statusCode, 200);
  assert.match(handOver.body, /mit Online-Ausweis wiederherstellen/i);
  await t.close();
});

test('a linked card sets a new password, ends every session, keeps the factors unless asked, and logs in at hoch', async () => {
  const t = await buildTestApp();
  const accountId = await account(t, { linked: 'erika' });
  await addSecondFactors(t, accountId);
  const elsewhere = new Browser(t.fastify);
  await login(elsewhere, 'erika.m');
  assert.equal((await sessionsOf(t, accountId)).length, 1);

  const browser = new Browser(t.fastify);
  const form = await readCardAt(browser, '/recover/eid', 'erika');
  assert.equal(form.statusCode, 200, form.body);
  assert.match(form.body, /„erika\.m“/);
  assert.match(form.body, /name="block_factors"/);
  // The policy of the e-mail reset applies: a short password is refused and nothing is used up.
  const short = await submit(browser, form, '/recover/eid/complete', { password: 'kurz', password2: 'kurz' });
  assert.equal(short.statusCode, 400);
  const done = await submit(browser, short, '/recover/eid/complete', { password: newPassword, password2: newPassword });
  assert.equal(done.statusCode, 303, done.body);
  assert.equal(done.headers.location, '/account');

  assert.deepEqual(
    await sessionsOf(t, accountId),
    [{ level: 4, method: 'eid' }],
    'the old session ended; the new one is at hoch',
  );
  assert.equal((await elsewhere.get('/account')).statusCode, 303, 'the other browser is logged out');
  assert.equal((await browser.get('/account')).statusCode, 200);
  assert.deepEqual(await blockedKinds(t, accountId), [], 'no factor blocked unless asked');
  const [entry] = await audit(t, 'recovery.eid');
  assert.equal(entry?.outcome, 'success');
  assert.equal(entry?.details.factors_blocked, false);
  assert.equal(entry?.details.linked_new_card, false);
  assert.doesNotMatch(JSON.stringify(entry?.details), /Erika|Mustermann|1964/, 'no personal data in the audit');

  const relogin = new Browser(t.fastify);
  assert.notEqual(
    (await login(relogin, 'erika.m', goodPassword)).headers.location,
    '/account',
    'the old password no longer works',
  );
  assert.equal((await login(new Browser(t.fastify), 'erika.m', newPassword)).statusCode, 303);
  await t.app.jobs.runDue();
  assert.ok(t.mails.some((m) => m.to === 'erika@example.org' && m.subject === 'Ihr Passwort wurde geändert'));
  await t.close();
});

test('asked to, the recovery blocks every second factor and the recovery codes', async () => {
  const t = await buildTestApp();
  const accountId = await account(t, { linked: 'erika' });
  await addSecondFactors(t, accountId);
  const browser = new Browser(t.fastify);
  const form = await readCardAt(browser, '/recover/eid', 'erika');
  const done = await submit(browser, form, '/recover/eid/complete', {
    password: newPassword,
    password2: newPassword,
    block_factors: 'on',
  });
  assert.equal(done.statusCode, 303, done.body);
  assert.deepEqual(await blockedKinds(t, accountId), ['recovery', 'sms', 'totp']);
  const [entry] = await audit(t, 'recovery.eid');
  assert.equal(entry?.details.factors_blocked, true);
  await t.app.jobs.runDue();
  assert.ok(t.mails.some((m) => m.subject === 'Anmeldemittel gesperrt'));
  await t.close();
});

test('an unknown card is refused unless the named account has matching data verified at hoch; then the card is linked', async () => {
  const t = await buildTestApp();
  const accountId = await account(t, { linked: 'erika' });
  // Someone else's card (another holder) names the account: refused, and it says nothing more.
  const stranger = new Browser(t.fastify);
  const identify = await readCardAt(stranger, '/recover/eid', 'permit');
  assert.equal(identify.statusCode, 200);
  assert.match(identify.body, /mit keinem Servicekonto verbunden/);
  const refused = await submit(stranger, identify, '/recover/eid/identify', { identifier: 'erika.m' });
  assert.equal(refused.statusCode, 400);
  assert.match(refused.body, /passen nicht/);
  const unknownName = await submit(stranger, identify, '/recover/eid/identify', { identifier: 'nobody.here' });
  assert.equal(
    unknownName.body.replace(/name="_csrf" value="[^"]+"/g, ''),
    refused.body.replace(/name="_csrf" value="[^"]+"/g, ''),
    'unknown name and mismatch look the same',
  );
  // Posting the final form straight away does not get round the check.
  const forced = await submit(
    stranger,
    identify,
    '/recover/eid/identify',
    { identifier: 'erika.m', password: newPassword, password2: newPassword },
    '/recover/eid/complete',
  );
  assert.equal(forced.statusCode, 400);
  assert.equal((await audit(t, 'recovery.eid')).filter((e) => e.outcome === 'success').length, 0);

  // The holder's new Smart-eID: names and birth date equal the data verified at hoch.
  const browser = new Browser(t.fastify);
  const newCard = await readCardAt(browser, '/recover/eid', 'smart-eid');
  const form = await submit(browser, newCard, '/recover/eid/identify', { identifier: 'erika@example.org' });
  assert.equal(form.statusCode, 200, form.body);
  const done = await submit(browser, form, '/recover/eid/complete', { password: newPassword, password2: newPassword });
  assert.equal(done.statusCode, 303, done.body);
  assert.equal(t.app.eid && (await t.app.eid.links.forAccount(accountId)).length, 2);
  assert.equal((await audit(t, 'eid.card_added'))[0]?.details.via, 'recovery');
  assert.equal((await audit(t, 'recovery.eid')).find((e) => e.outcome === 'success')?.details.linked_new_card, true);
  await t.close();
});

test('without data verified at hoch a card not linked recovers nothing; a blocked link neither', async () => {
  const t = await buildTestApp();
  const accountId = await account(t, { verified: false });
  const browser = new Browser(t.fastify);
  const identify = await readCardAt(browser, '/recover/eid', 'erika');
  const refused = await submit(browser, identify, '/recover/eid/identify', { identifier: 'erika.m' });
  assert.equal(refused.statusCode, 400);
  const eid = t.app.eid;
  assert.ok(eid);
  assert.ok(
    await eid.links.link(accountId, {
      restrictedId: restrictedIdentifier('erika', eid.config.sector),
      documentType: 'ID',
      eidType: 'CardCertified',
    }),
  );
  const [link] = await eid.links.forAccount(accountId);
  assert.ok(link && (await eid.links.block(accountId, link.id)));
  const blocked = await readCardAt(new Browser(t.fastify), '/recover/eid', 'erika');
  assert.equal(blocked.statusCode, 403);
  assert.deepEqual(await sessionsOf(t, accountId), []);
  await t.close();
});

test('the final form counts once, and only in the browser that read the card', async () => {
  const t = await buildTestApp();
  const accountId = await account(t, { linked: 'erika' });
  const browser = new Browser(t.fastify);
  const form = await readCardAt(browser, '/recover/eid', 'erika');
  // Another browser with the same hidden fields (and its own CSRF token) completes nothing.
  const other = new Browser(t.fastify);
  const _csrf = await other.csrf('/forgot-password');
  const fields = formFields(
    /<form method="post" action="\/recover\/eid\/complete"[\s\S]*?<\/form>/.exec(form.body)?.[0] ?? '',
  );
  const foreign = await other.post('/recover/eid/complete', {
    ...fields,
    _csrf,
    password: newPassword,
    password2: newPassword,
  });
  assert.equal(foreign.statusCode, 400);
  assert.match(foreign.body, /ersten Browser/);
  assert.deepEqual(await sessionsOf(t, accountId), []);

  const first = await submit(browser, form, '/recover/eid/complete', { password: newPassword, password2: newPassword });
  assert.equal(first.statusCode, 303);
  const again = await submit(browser, form, '/recover/eid/complete', {
    password: 'Noch ein ganz anderes Passwort 42',
    password2: 'Noch ein ganz anderes Passwort 42',
  });
  assert.equal(again.statusCode, 400, 'the reading was used');
  assert.equal((await audit(t, 'recovery.eid')).length, 1);
  assert.equal(
    (await login(new Browser(t.fastify), 'erika.m', newPassword)).statusCode,
    303,
    'the first password stays',
  );
  await t.close();
});
