// eID login through the built-in simulator (issue 6): the card is found by its link, the session is at
// hoch, and the RefreshAddress completes nothing without getResult's answer or in another browser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { restrictedIdentifier } from '../../src/dev/eid-simulator/restricted-id.ts';
import type { TestCardId } from '../../src/dev/eid-simulator/cards.ts';
import { fetchTcToken, paosRead, readCardAt, refreshPath, tcTokenUrlOf } from '../helpers/eid-card.ts';
import { Browser, buildTestApp, registerVerified, type TestApp } from '../helpers/test-app.ts';

async function accountWithCard(t: TestApp, cardId: TestCardId = 'erika'): Promise<string> {
  const username = await registerVerified(t, new Browser(t.fastify));
  const account = await t.app.accounts.byLogin(username);
  assert.ok(account && t.app.eid);
  await t.app.attributes.setVerified(account.id, { given_name: 'Erika', family_name: 'Mustermann', birthdate: '1964-08-12' }, { source: 'eid', level: 4, at: t.clock.now(), evidence: { document: 'idcard' } });
  assert.ok(await t.app.eid.links.link(account.id, { restrictedId: restrictedIdentifier(cardId, t.app.eid.config.sector), documentType: 'ID', eidType: 'CardCertified' }));
  return account.id;
}

async function latestSession(t: TestApp) {
  const rows = await t.app.db.query<{ account_id: string; level: number; amr: string[]; method: string }>('SELECT account_id, level, amr, method FROM sso_sessions ORDER BY auth_time DESC LIMIT 1');
  return rows.rows[0];
}

test('a linked card logs in at hoch with method eid and RFC 8176 amr; the login page offers the eID', async () => {
  const t = await buildTestApp();
  const accountId = await accountWithCard(t);
  const browser = new Browser(t.fastify);
  const choice = await browser.get('/login');
  assert.match(choice.body, /href="\/login\/eid"/);
  const done = await readCardAt(browser, '/login/eid', 'erika');
  assert.equal(done.statusCode, 303, done.body);
  assert.equal(done.headers.location, '/account');
  assert.deepEqual(await latestSession(t), { account_id: accountId, level: 4, amr: ['sc', 'pin', 'mfa'], method: 'eid' });
  const audit = await t.app.db.query<{ details: { method: string } }>("SELECT details FROM audit_events WHERE action = 'login' ORDER BY id DESC LIMIT 1");
  assert.equal(audit.rows[0]?.details.method, 'eid');
  await t.close();
});

test('an unknown card offers registration; a blocked link refuses the login', async () => {
  const t = await buildTestApp();
  const accountId = await accountWithCard(t);
  const unknown = await readCardAt(new Browser(t.fastify), '/login/eid', 'permit');
  assert.equal(unknown.statusCode, 404);
  assert.match(unknown.body, /href="\/register\/eid"/);
  const eid = t.app.eid;
  assert.ok(eid);
  const [link] = await eid.links.forAccount(accountId);
  assert.ok(link && (await eid.links.block(accountId, link.id)));
  const blocked = await readCardAt(new Browser(t.fastify), '/login/eid', 'erika');
  assert.equal(blocked.statusCode, 403);
  assert.equal(await latestSession(t), undefined);
  await t.close();
});

test('each failing card gets its plain-language message and no session', async () => {
  const t = await buildTestApp();
  const cases: [TestCardId, RegExp][] = [
    ['expired', /abgelaufen/],
    ['revoked', /nicht angenommen/],
    ['pin-blocked', /PUK/],
  ];
  for (const [card, message] of cases) {
    const response = await readCardAt(new Browser(t.fastify), '/login/eid', card);
    assert.equal(response.statusCode, 400, card);
    assert.match(response.body, message, card);
    assert.match(response.body, /href="\/login\/eid"/, `${card}: try again`);
  }
  const cancelled = await readCardAt(new Browser(t.fastify), '/login/eid', 'erika', { cancel: true });
  assert.match(cancelled.body, /abgebrochen/);
  assert.equal(await latestSession(t), undefined);
  await t.close();
});

test('the TC token is served once; the RefreshAddress finishes only in the starting browser and only with a result', async () => {
  const t = await buildTestApp();
  await accountWithCard(t);
  const browser = new Browser(t.fastify);
  const page = await browser.get('/login/eid');
  const tcTokenUrl = tcTokenUrlOf(page.body);
  const { response, token } = await fetchTcToken(browser, tcTokenUrl);
  assert.match(String(response.headers['content-type']), /^text\/xml/);
  assert.ok(token);
  assert.equal((await fetchTcToken(browser, tcTokenUrl)).response.statusCode, 404, 'a second fetch is refused');
  // A forged success before the card was read: getResult says noResultYet, nothing happens.
  const forged = await browser.get(refreshPath(token.refreshAddress, { status: 'done', refresh: { major: 'ok' } }));
  assert.equal(forged.statusCode, 202);
  assert.match(forged.body, /noch gelesen/);
  assert.equal(await latestSession(t), undefined);
  const answer = await paosRead(browser, token, { cardId: 'erika' });
  // Another browser (the phone opened the RefreshAddress elsewhere) completes nothing.
  const elsewhere = await new Browser(t.fastify).get(refreshPath(token.refreshAddress, answer));
  assert.equal(elsewhere.statusCode, 400);
  assert.match(elsewhere.body, /ersten Browser/);
  assert.equal(await latestSession(t), undefined);
  const done = await browser.get(refreshPath(token.refreshAddress, answer));
  assert.equal(done.statusCode, 303);
  assert.equal((await latestSession(t))?.method, 'eid');
  // The reading is used once: a reload goes back to the start.
  const again = await browser.get(refreshPath(token.refreshAddress, answer));
  assert.equal(again.statusCode, 303);
  assert.equal(again.headers.location, '/login');
  await t.close();
});

test('a wrong PIN keeps the reading open with the tries left', async () => {
  const t = await buildTestApp();
  const browser = new Browser(t.fastify);
  const page = await browser.get('/login/eid');
  const { token } = await fetchTcToken(browser, tcTokenUrlOf(page.body));
  assert.ok(token);
  assert.deepEqual(await paosRead(browser, token, { cardId: 'erika', pin: '000000' }), { status: 'wrong-pin', triesLeft: 2 });
  await t.close();
});
