// Issue 15, point 13: an account the operator locked (`servicekonto user lock`) logs in by no method, is told why
// once the password was right, and loses its sessions; unlocking lets it in again.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { userLock, userUnlock } from '../../src/cli/user-admin.ts';
import { restrictedIdentifier } from '../../src/dev/eid-simulator/restricted-id.ts';
import { readCardAt } from '../helpers/eid-card.ts';
import { Browser, buildTestApp, goodPassword, login, registerVerified, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
let accountId: string;
const silent = { out: () => undefined, err: () => undefined };
/** The CLI command itself, on the app's database (the server and the CLI share it in production). */
const operator = (command: typeof userLock, reason: string) =>
  command.run(t.app.db, { account: 'erika@example.org', reason }, t.app.config, silent);

before(async () => {
  t = await buildTestApp();
  await registerVerified(t, new Browser(t.fastify));
  const account = await t.app.accounts.byLogin('erika.m');
  assert.ok(account && t.app.eid);
  accountId = account.id;
  assert.ok(
    await t.app.eid.links.link(accountId, {
      restrictedId: restrictedIdentifier('erika', t.app.eid.config.sector),
      documentType: 'ID',
      eidType: 'CardCertified',
    }),
  );
});
after(() => t.close());

test('a locked account is refused with a message to the citizen, its session ends, and unlocking lets it in', async () => {
  const before = new Browser(t.fastify);
  assert.equal((await login(before, 'erika.m')).statusCode, 303);
  assert.equal((await before.get('/account')).statusCode, 200);

  await operator(userLock, 'Missbrauch gemeldet, Vorgang 2026-117');
  assert.equal((await before.get('/account')).statusCode, 303, 'the session that was open has ended');

  const refused = await login(new Browser(t.fastify), 'erika.m');
  assert.equal(refused.statusCode, 400);
  assert.match(refused.body, /Ihr Konto ist gesperrt\. Wenden Sie sich an/);
  const wrong = await login(new Browser(t.fastify), 'erika.m', `${goodPassword}!`);
  assert.equal(wrong.statusCode, 400);
  assert.doesNotMatch(wrong.body, /gesperrt/, 'without the password nobody learns of the lock');
  assert.match(wrong.body, /Benutzername oder Passwort ist falsch/);

  const byCard = await readCardAt(new Browser(t.fastify), '/login/eid', 'erika');
  assert.equal(byCard.statusCode, 403, 'the eID login is refused too');
  assert.match(byCard.body, /Das Servicekonto zu diesem Ausweis ist gesperrt/);
  const sessions = await t.app.db.query('SELECT 1 FROM sso_sessions WHERE account_id = $1', [accountId]);
  assert.equal(sessions.rowCount, 0);

  const audit = await t.app.db.query<{ action: string; actor: string; details: { reason: string } }>(
    "SELECT action, actor, details FROM audit_events WHERE subject = $1 AND action LIKE 'account.%locked' ORDER BY id",
    [`account:${accountId}`],
  );
  assert.deepEqual(audit.rows, [
    { action: 'account.locked', actor: 'cli', details: { reason: 'Missbrauch gemeldet, Vorgang 2026-117' } },
  ]);

  await operator(userUnlock, 'Vorgang 2026-117 geklärt');
  assert.equal((await login(new Browser(t.fastify), 'erika.m')).statusCode, 303);
  assert.equal((await readCardAt(new Browser(t.fastify), '/login/eid', 'erika')).statusCode, 303);
});
