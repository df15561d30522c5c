import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generate } from 'otplib';
import { Browser, buildTestApp, goodPassword, login, registerVerified, type TestApp } from '../helpers/test-app.ts';

/**
 * Issue 13, points 1, 2 and 7: a second factor protects the whole account.
 * The attacker of the issue knows the password of an account with an
 * authenticator app, and nothing else.
 */
describe('an account with an authenticator app, attacked with the password alone', () => {
  let t: TestApp;
  let owner: Browser;
  let accountId = '';
  let secret = '';
  before(async () => {
    t = await buildTestApp();
    owner = new Browser(t.fastify);
    await registerVerified(t, owner, 'erika.m', 'erika@example.org');
    accountId = (await t.app.accounts.byLogin('erika.m'))?.id ?? '';
    await login(owner, 'erika.m');
    const setup = await owner.get('/account/totp/setup');
    secret = (/<code class="secret">([^<]+)<\/code>/.exec(setup.body)?.[1] ?? '').replace(/\s/g, '');
    const _csrf = /name="_csrf" value="([^"]+)"/.exec(setup.body)?.[1] ?? '';
    const done = await owner.post('/account/totp/setup', { _csrf, code: await code() });
    assert.equal(done.statusCode, 200);
  });
  after(() => t.close());

  /** A fresh code each time: a code is used once, so the clock moves on by a period. */
  async function code(): Promise<string> {
    t.clock.advance(30_000);
    return generate({ secret, epoch: Math.floor(t.clock.now().getTime() / 1000) });
  }

  const mailsTo = (to: string) => t.mails.filter((m) => m.to === to).map((m) => m.subject);

  test('renewing the recovery codes from a password-only session is refused and voids nothing (point 1)', async () => {
    const attacker = new Browser(t.fastify);
    await login(attacker, 'erika.m');
    const _csrf = await attacker.csrf('/login/password');
    const before = await t.app.methods.recovery.remaining(t.app.db, accountId);
    const renewed = await attacker.post('/account/recovery-codes', { _csrf, renew_password: goodPassword });
    assert.notEqual(renewed.statusCode, 200);
    assert.doesNotMatch(renewed.body, /<li><code>[A-Z0-9-]{11}<\/code><\/li>/, 'no new codes are shown');
    assert.equal(await t.app.methods.recovery.remaining(t.app.db, accountId), before, "the owner's codes stay valid");
  });

  test('renewing from a session confirmed with the app works and tells the owner by mail (point 1)', async () => {
    const browser = new Browser(t.fastify);
    await login(browser, 'erika.m');
    const confirm = await browser.get('/account/confirm/totp');
    const _csrf = /name="_csrf" value="([^"]+)"/.exec(confirm.body)?.[1] ?? '';
    const confirmed = await browser.post('/account/confirm/totp', { _csrf, code: await code() });
    assert.equal(confirmed.statusCode, 303);
    const csrf = await browser.csrf('/account');
    const renewed = await browser.post('/account/recovery-codes', { _csrf: csrf, renew_password: goodPassword });
    assert.equal(renewed.statusCode, 200);
    assert.equal([...renewed.body.matchAll(/<li><code>[A-Z0-9-]{11}<\/code><\/li>/g)].length, 10);
    await t.app.jobs.runDue();
    assert.ok(mailsTo('erika@example.org').includes('Neue Wiederherstellungscodes'), 'the owner learns of it');
  });
});
