import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generate } from 'otplib';
import { Browser, buildTestApp, goodPassword, login, registerVerified, type TestApp } from '../helpers/test-app.ts';

/** Authentication means on "Mein Konto": listed, a software token set up and removed. */
describe('authentication means on the account page', () => {
  let t: TestApp;
  let browser: Browser;
  let accountId = '';
  before(async () => {
    t = await buildTestApp();
    browser = new Browser(t.fastify);
    await registerVerified(t, browser, 'erika.m', 'erika@example.org');
    accountId = (await t.app.accounts.byLogin('erika.m'))?.id ?? '';
    await login(browser, 'erika.m');
  });
  after(() => t.close());

  const latestSession = async () =>
    (
      await t.app.db.query<{ level: number; amr: string[] }>(
        'SELECT level, amr FROM sso_sessions WHERE account_id = $1 ORDER BY created_at DESC LIMIT 1',
        [accountId],
      )
    ).rows[0];

  test('the list shows the password and offers a software token', async () => {
    const page = await browser.get('/account/security');
    assert.match(page.body, /<h3 class="kern-title">Passwort<\/h3>/);
    assert.match(page.body, /href="\/account\/totp\/setup"/);
  });

  test('setting up a token needs its first code; then the session carries both factors', async () => {
    const setup = await browser.get('/account/totp/setup');
    assert.equal(setup.statusCode, 200);
    const secret = (/<code class="secret">([^<]+)<\/code>/.exec(setup.body)?.[1] ?? '').replace(/\s/g, '');
    // A phone cannot scan its own screen: the same key as an otpauth:// link opens the app on this device.
    const otpauth = new URL((/href="(otpauth:[^"]+)"/.exec(setup.body)?.[1] ?? 'x:').replaceAll('&amp;', '&'));
    assert.equal(otpauth.protocol, 'otpauth:');
    assert.equal(otpauth.host, 'totp');
    assert.equal(otpauth.searchParams.get('secret'), secret);
    assert.ok(otpauth.searchParams.get('issuer'), 'the app shows whose key it is');
    const _csrf = /name="_csrf" value="([^"]+)"/.exec(setup.body)?.[1] ?? '';
    assert.equal((await browser.post('/account/totp/setup', { _csrf, code: '123456' })).statusCode, 400);
    const again = await browser.get('/account/totp/setup');
    assert.match(again.body, new RegExp(secret.slice(0, 4)), 'the pending key stays the same after a wrong code');
    // Typed as the app shows it, in two groups: the field takes the space, the check ignores it.
    assert.match(again.body, /name="code"[^>]*maxlength="7"/);
    const code = await generate({ secret, epoch: Math.floor(t.clock.now().getTime() / 1000) });
    const done = await browser.post('/account/totp/setup', { _csrf, code: `${code.slice(0, 3)} ${code.slice(3)}` });
    assert.equal(done.statusCode, 200);
    assert.match(done.body, /Die Authenticator-App ist eingerichtet/);
    assert.equal(
      [...done.body.matchAll(/<li><code>[A-Z0-9-]{11}<\/code><\/li>/g)].length,
      10,
      'the recovery codes, shown once',
    );
    const account = await browser.get('/account/security');
    assert.match(account.body, /<h3 class="kern-title">Authenticator-App<\/h3>/);
    assert.match(account.body, /Noch 10 Wiederherstellungscodes übrig/);
    assert.deepEqual((await latestSession())?.amr, ['pwd', 'otp', 'mfa']);
    const replace = await browser.get('/account/totp/setup');
    assert.equal(replace.statusCode, 303, 'an existing token cannot be replaced by a second set-up');
  });

  test("another account's security key cannot be removed", async () => {
    const other = await t.app.db.query<{ id: string }>(
      "INSERT INTO accounts (username, email) VALUES ('other.one', 'other@example.org') RETURNING id",
    );
    const key = await t.app.db.query<{ id: string }>(
      "INSERT INTO authentication_means (account_id, kind, public_data, level) VALUES ($1, 'webauthn', '{}', 3) RETURNING id",
      [other.rows[0]?.id],
    );
    const _csrf = await browser.csrf('/account');
    const response = await browser.post('/account/means/remove', {
      _csrf,
      means_id: key.rows[0]?.id ?? '',
      means_password: goodPassword,
    });
    assert.equal(response.statusCode, 400);
    assert.equal(
      (await t.app.db.query('SELECT 1 FROM authentication_means WHERE id = $1', [key.rows[0]?.id])).rowCount,
      1,
    );
  });

  test('a token is renamed without a password; the name shows in the list', async () => {
    const id =
      (
        await t.app.db.query<{ id: string }>(
          "SELECT id FROM authentication_means WHERE account_id = $1 AND kind = 'totp'",
          [accountId],
        )
      ).rows[0]?.id ?? '';
    const _csrf = await browser.csrf('/account');
    const bad = await browser.post('/account/means/rename', { _csrf, means_id: id, means_name: 'a\u0007b' });
    assert.equal(bad.statusCode, 400);
    const renamed = await browser.follow(
      await browser.post('/account/means/rename', { _csrf, means_id: id, means_name: 'Diensthandy' }),
      '/account/security',
    );
    assert.equal(renamed.statusCode, 200);
    assert.match(renamed.body, /<h3 class="kern-title">Diensthandy<\/h3>/);
  });

  test('a password-only session must confirm with the token before it may remove it (TR-03160-1)', async () => {
    const weak = new Browser(t.fastify);
    await login(weak, 'erika.m');
    // Issue 13, point 2: with the password alone, "Mein Konto" is only the overview and the way to confirm.
    const page = await weak.get('/account');
    assert.match(page.body, /href="\/account\/confirm\?return=\/account"/, 'the page asks for confirmation');
    assert.doesNotMatch(page.body, /action="\/account\/means\/remove"/);
    const id =
      (
        await t.app.db.query<{ id: string }>(
          "SELECT id FROM authentication_means WHERE account_id = $1 AND kind = 'totp'",
          [accountId],
        )
      ).rows[0]?.id ?? '';
    const _csrf = await weak.csrf('/login/password');
    const refused = await weak.post('/account/means/remove', { _csrf, means_id: id, means_password: goodPassword });
    assert.equal(refused.statusCode, 303);
    assert.equal(refused.headers.location, '/account', 'refused, back to the overview that asks for confirmation');
    assert.equal(
      await t.app.methods.totp.hasConfirmed(t.app.db, accountId),
      true,
      'the password alone removes nothing',
    );
    // The confirmation: /account/confirm leads to the one factor there is.
    const confirm = await weak.get('/account/confirm');
    assert.equal(confirm.statusCode, 303);
    assert.equal(confirm.headers.location, '/account/confirm/totp');
  });

  test('removing the token needs the password and lowers the session', async () => {
    const id =
      (
        await t.app.db.query<{ id: string }>(
          "SELECT id FROM authentication_means WHERE account_id = $1 AND kind = 'totp'",
          [accountId],
        )
      ).rows[0]?.id ?? '';
    const _csrf = await browser.csrf('/account');
    const wrong = await browser.post('/account/means/remove', {
      _csrf,
      means_id: id,
      means_password: 'not the password',
    });
    assert.equal(wrong.statusCode, 400);
    assert.equal(await t.app.methods.totp.hasConfirmed(t.app.db, accountId), true);
    const removed = await browser.follow(
      await browser.post('/account/means/remove', { _csrf, means_id: id, means_password: goodPassword }),
      '/account/security',
    );
    assert.equal(removed.statusCode, 200);
    assert.match(removed.body, /Anmeldemittel ist entfernt/);
    assert.equal(await t.app.methods.totp.hasConfirmed(t.app.db, accountId), false);
    assert.deepEqual((await latestSession())?.amr, ['pwd']);
    const audit = await t.app.db.query<{ action: string }>(
      "SELECT action FROM audit_events WHERE action LIKE 'means.%' ORDER BY id",
    );
    assert.deepEqual(
      audit.rows.map((r) => r.action),
      ['means.added', 'means.removed'],
    );
    assert.equal(
      await t.app.methods.recovery.remaining(t.app.db, accountId),
      0,
      'the recovery codes went with the app',
    );
  });
});
