import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createPasswordHasher } from '../../src/methods/password/hash.ts';
import {
  Browser,
  buildTestApp,
  goodPassword,
  linkFrom,
  login,
  registerVerified,
  type TestApp,
} from '../helpers/test-app.ts';

describe('login, throttling and recovery', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
    await registerVerified(t, new Browser(t.fastify), 'erika.m', 'erika@example.org');
  });
  after(() => t.close());

  test('login by username or e-mail starts an SSO session with secure cookie attributes', async () => {
    for (const name of ['erika.m', 'ERIKA@example.org']) {
      const browser = new Browser(t.fastify);
      const response = await login(browser, name);
      assert.equal(response.statusCode, 303);
      assert.equal(response.headers.location, '/account');
      const cookie = String(response.headers['set-cookie']);
      assert.match(cookie, /sk_session=[^;]+;.*HttpOnly/);
      assert.match(cookie, /SameSite=Lax/);
      const account = await browser.get('/account');
      assert.equal(account.statusCode, 200);
      assert.match(account.body, /Angemeldet als erika.m/);
    }
  });

  test('a hash made with old argon2 parameters is renewed at the next login', async () => {
    const account = await t.app.accounts.byLogin('erika.m');
    const old = await createPasswordHasher({ memoryCost: 2048, timeCost: 1, parallelism: 1 }).hash(goodPassword);
    await t.app.passwords.set(account?.id ?? '', old);
    assert.equal((await login(new Browser(t.fastify), 'erika.m')).statusCode, 303);
    const renewed = await t.app.passwords.hashFor(account?.id ?? '');
    assert.match(renewed ?? '', /^\$argon2id\$v=19\$m=1024,t=1,p=1\$/);
  });

  test('a wrong password and an unknown name give the same message', async () => {
    const wrong = await login(new Browser(t.fastify), 'erika.m', 'not the password at all');
    const unknown = await login(new Browser(t.fastify), 'nobody.here', 'not the password at all');
    assert.equal(wrong.statusCode, 400);
    assert.equal(unknown.statusCode, 400);
    const message = (body: string) => /<a class="kern-link" href="#username">([^<]+)<\/a>/.exec(body)?.[1];
    assert.equal(message(wrong.body), message(unknown.body));
  });

  test('an unknown name takes about as long as a wrong password (argon2 runs for both)', async () => {
    const time = async (name: string) => {
      const started = process.hrtime.bigint();
      await t.app.methods.password.authenticate(
        { username: name, password: 'some wrong password' },
        { ip: `10.9.${Math.random()}` },
      );
      return Number(process.hrtime.bigint() - started) / 1e6;
    };
    const known: number[] = [];
    const unknown: number[] = [];
    // Each sample is a few milliseconds and moves by as much when other test files load the machine (CI runs three
    // at once): 21 pairs, interleaved, so the medians compare the two paths, not the moments they ran in. The
    // account's own throttle key delays it after ten failures (methods/password/throttle.ts perAccount, at most a
    // minute): a minute passes before each attempt, so every one is checked with argon2 as a first one would be.
    const samples = 21;
    for (let i = 0; i < samples; i++) {
      t.clock.advance(61_000);
      known.push(await time('erika.m'));
      unknown.push(await time(`ghost${i}`));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(samples / 2)] ?? 0;
    const ratio = median(unknown) / median(known);
    assert.ok(ratio > 0.5 && ratio < 2, `unknown/known time ratio ${ratio.toFixed(2)}`);
  });

  test('failed logins are throttled with growing delays, and the delay ends', async () => {
    const browser = new Browser(t.fastify);
    await registerVerified(t, browser, 'target.user', 'target@example.org');
    for (let i = 0; i < 4; i++)
      assert.equal((await login(browser, 'target.user', 'wrong password ' + i)).statusCode, 400);
    const blocked = await login(browser, 'target.user');
    assert.equal(blocked.statusCode, 429);
    assert.match(blocked.body, /Zu viele Versuche/);
    assert.ok(Number(blocked.headers['retry-after']) >= 1);
    t.clock.advance(5_000);
    assert.equal((await login(browser, 'target.user')).statusCode, 303, 'no permanent lockout');
  });

  test('forgotten password: same answer for unknown names; the link resets once and ends every session', async () => {
    const other = new Browser(t.fastify);
    assert.equal((await login(other, 'erika.m')).statusCode, 303);

    const browser = new Browser(t.fastify);
    let _csrf = await browser.csrf('/forgot-password');
    const unknown = await browser.post('/forgot-password', { _csrf, identifier: 'nobody.here' });
    const known = await browser.post('/forgot-password', { _csrf, identifier: 'erika.m' });
    assert.equal(unknown.statusCode, 200);
    assert.equal(known.statusCode, 200);
    assert.equal(unknown.body.replace(/value="[^"]*"/g, ''), known.body.replace(/value="[^"]*"/g, ''));
    await t.app.jobs.runDue();
    const link = linkFrom(
      t.mails.findLast((m) => m.to === 'erika@example.org' && m.subject.startsWith('Neues Passwort')),
    );

    _csrf = await browser.csrf(link);
    const token = new URL(link, 'http://x').searchParams.get('token') ?? '';
    const newPassword = 'Drei Hunde bellen im Garten';
    const weak = await browser.post('/reset-password', {
      _csrf,
      token,
      password: 'qwertyuiop',
      password2: 'qwertyuiop',
    });
    assert.equal(weak.statusCode, 400);
    // A short password with the repetition still empty: both problems at once, each at its field.
    const both = await browser.post('/reset-password', { _csrf, token, password: 'kurz', password2: '' });
    assert.equal(both.statusCode, 400);
    assert.match(both.body, /mindestens 10 Zeichen/);
    assert.match(both.body, /Geben Sie das Passwort ein zweites Mal ein/);
    const done = await browser.post('/reset-password', { _csrf, token, password: newPassword, password2: newPassword });
    assert.equal(done.statusCode, 200);
    assert.match(done.body, /überall abgemeldet/);
    assert.equal((await other.get('/account')).statusCode, 303, 'the other session ended');
    assert.equal(
      (await browser.post('/reset-password', { _csrf, token, password: newPassword, password2: newPassword }))
        .statusCode,
      400,
      'link is single-use',
    );
    assert.equal((await login(new Browser(t.fastify), 'erika.m', goodPassword)).statusCode, 400);
    assert.equal((await login(new Browser(t.fastify), 'erika.m', newPassword)).statusCode, 303);
  });

  test('forgotten username is mailed to the registered address', async () => {
    const browser = new Browser(t.fastify);
    const _csrf = await browser.csrf('/forgot-username');
    const response = await browser.post('/forgot-username', { _csrf, identifier: 'erika@example.org' });
    assert.equal(response.statusCode, 200);
    await t.app.jobs.runDue();
    assert.match(t.mails.findLast((m) => m.to === 'erika@example.org')?.text ?? '', /Ihr Benutzername lautet: erika.m/);
  });

  test('mail-sending forms are rate-limited', async () => {
    const browser = new Browser(t.fastify);
    const _csrf = await browser.csrf('/forgot-username');
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++)
      statuses.push((await browser.post('/forgot-username', { _csrf, identifier: 'spam@example.org' })).statusCode);
    assert.deepEqual(statuses, [200, 200, 200, 429, 429]);
    // The hour's window in minutes, not "3600 Sekunden".
    const refused = await browser.post('/forgot-username', { _csrf, identifier: 'spam@example.org' });
    assert.match(refused.body, /Bitte warten Sie 60 Minuten und versuchen Sie es dann erneut\./);
  });
});
