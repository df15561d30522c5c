import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { generate } from 'otplib';
import { registeredRoutes } from '../fuzz/routes.ts';
import { Browser, buildTestApp, goodPassword, login, registerVerified, type TestApp } from '../helpers/test-app.ts';

/**
 * Issue 13, point 2 ("How it is judged"): with only the password of an
 * account that has an authenticator app, nothing in "Mein Konto" beyond the
 * overview is reachable and nothing can be changed. account-protection.test.ts
 * tries the forms the issue names; this test walks every route the app has
 * under /account, read from the router itself (test/fuzz/routes.ts), so that
 * a page or form added later without the route option
 * (flows/settings/guard.ts) fails here.
 */

/** The way to confirm with the second factor is all the password opens (guard.ts: the overview points to it). */
const confirmation = /^\/account\/confirm([/?]|$)/;

let t: TestApp;
let accountId = '';
let totpId = '';
let ownerHandle = '';

before(async () => {
  t = await buildTestApp();
  const owner = new Browser(t.fastify);
  await registerVerified(t, owner, 'erika.m', 'erika@example.org');
  accountId = (await t.app.accounts.byLogin('erika.m'))?.id ?? '';
  await login(owner, 'erika.m');
  const setup = await owner.get('/account/totp/setup');
  const secret = (/<code class="secret">([^<]+)<\/code>/.exec(setup.body)?.[1] ?? '').replace(/\s/g, '');
  const _csrf = /name="_csrf" value="([^"]+)"/.exec(setup.body)?.[1] ?? '';
  t.clock.advance(30_000);
  const code = await generate({ secret, epoch: Math.floor(t.clock.now().getTime() / 1000) });
  assert.equal((await owner.post('/account/totp/setup', { _csrf, code })).statusCode, 200);
  totpId =
    (
      await t.app.db.query<{ id: string }>(
        "SELECT id FROM authentication_means WHERE account_id = $1 AND kind = 'totp'",
        [accountId],
      )
    ).rows[0]?.id ?? '';
  ownerHandle = /name="session" value="([^"]+)"/.exec((await owner.get('/account/sessions')).body)?.[1] ?? '';
});
after(() => t.close());

/** What the attacker could change: the account, its means, data, consents, sessions, mail tokens and card links. */
async function accountState(): Promise<string> {
  const rows = async (sql: string) => (await t.app.db.query(sql, [accountId])).rows;
  return JSON.stringify({
    account: await rows('SELECT * FROM accounts WHERE id = $1'),
    means: await rows('SELECT * FROM authentication_means WHERE account_id = $1 ORDER BY id'),
    attributes: await rows('SELECT * FROM identity_attributes WHERE account_id = $1 ORDER BY 1'),
    consents: await rows('SELECT * FROM consents WHERE account_id = $1 ORDER BY 1'),
    sessions: await rows('SELECT id FROM sso_sessions WHERE account_id = $1 ORDER BY id'),
    mailTokens: await rows('SELECT * FROM email_tokens WHERE account_id = $1 ORDER BY 1'),
    cards: await rows('SELECT * FROM eid_links WHERE account_id = $1 ORDER BY 1'),
  });
}

test('with the password alone, every page and form of Mein Konto but the overview and the confirmation is closed', async () => {
  const routes = registeredRoutes(t.fastify).filter(({ path }) => path.startsWith('/account'));
  assert.ok(routes.length > 30, `the route tree was read: ${routes.length} routes under /account`);
  const closed = routes.filter(({ path }) => path !== '/account' && !confirmation.test(path));

  const attacker = new Browser(t.fastify);
  assert.equal((await login(attacker, 'erika.m')).statusCode, 303);
  const overview = await attacker.get('/account');
  assert.equal(overview.statusCode, 200);
  assert.doesNotMatch(overview.body, /erika@example\.org/);
  const _csrf = /name="_csrf" value="([^"]+)"/.exec(overview.body)?.[1] ?? (await attacker.csrf('/login/password'));
  // The fields of every form at once, with values that would change something were the form open.
  const fields = {
    _csrf,
    given_name: 'Mallory',
    current_password: goodPassword,
    new_password: 'Mallory kennt jetzt das Konto 42',
    new_email: 'mallory@example.org',
    email_password: goodPassword,
    renew_password: goodPassword,
    delete_password: goodPassword,
    means_id: totpId,
    means_password: goodPassword,
    means_name: 'Mallory',
    phone: '+49 151 12345678',
    password_enough: 'yes',
    session: ownerHandle,
    link_id: '1',
    really: 'yes',
  };
  const stateBefore = await accountState();
  const mailsBefore = t.mails.length;

  const open: string[] = [];
  for (const { method, path: pattern } of closed) {
    const path = pattern.replace(/:\w+/g, 'x');
    const response = method === 'GET' ? await attacker.get(path) : await attacker.post(path, fields);
    const location = String(response.headers.location ?? '');
    const refused =
      method === 'GET'
        ? response.statusCode === 303 && confirmation.test(location)
        : (response.statusCode === 303 && location === '/account') || response.statusCode === 403;
    if (!refused) open.push(`${method} ${path}: ${response.statusCode} ${location}`);
    assert.doesNotMatch(response.body, /erika@example\.org|Mallory/, `${method} ${path} shows nothing of the account`);
  }
  assert.deepEqual(open, [], 'only the overview and the confirmation answer a password-only session');

  await t.app.jobs.runDue();
  assert.equal(await accountState(), stateBefore, 'nothing of the account changed');
  assert.equal(t.mails.length, mailsBefore, 'no mail went anywhere');
  const session = await t.app.sessions.resume(attacker.cookies.get(t.app.cookies.session));
  assert.ok(session && session.level <= 2, `the session stays at niedrig or below (level ${session?.level})`);
});
