import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { perAccount, perNetwork } from '../../src/methods/password/throttle.ts';
import { Browser, buildTestApp, goodPassword, registerVerified, type TestApp } from '../helpers/test-app.ts';

/**
 * Issue 13 §3 and §4: throttling no stranger can turn against a citizen, counted per network as well as per address.
 */
describe('login throttle against strangers', () => {
  let t: TestApp;
  before(async () => {
    // One trusted hop: X-Forwarded-For names the client, as behind the operator's proxy.
    t = await buildTestApp({ TRUST_PROXY: '1' });
    await registerVerified(t, new Browser(t.fastify), 'erika.m', 'erika@example.org');
  });
  after(() => t.close());

  const loginFrom = async (browser: Browser, address: string, username: string, password: string) => {
    const _csrf = await browser.csrf('/login/password');
    return browser.post('/login/password', { _csrf, username, password }, { 'x-forwarded-for': address });
  };

  test('a flood of wrong passwords from one address never keeps the owner, at another address, out', async () => {
    const attacker = new Browser(t.fastify);
    const statuses = new Map<number, number>();
    // A minute at 20 guesses a second; every ten seconds the owner logs in, in a fresh browser at an address never used
    // before.
    for (let i = 1; i <= 1200; i++) {
      const guess = await loginFrom(attacker, '203.0.113.9', 'erika.m', `guess ${i}`);
      statuses.set(guess.statusCode, (statuses.get(guess.statusCode) ?? 0) + 1);
      t.clock.advance(50);
      if (i % 200 === 0) {
        const owner = await loginFrom(new Browser(t.fastify), `198.51.${i / 200}.7`, 'erika.m', goodPassword);
        assert.equal(owner.statusCode, 303, `the owner logs in after ${i / 20} seconds of the flood`);
      }
    }
    assert.ok((statuses.get(429) ?? 0) > 1100, 'the flood itself is refused');
  });

  test('while many networks guess, clients the account does not know are slowed; its device cookie and known address are not', async () => {
    await registerVerified(t, new Browser(t.fastify), 'max.m', 'max@example.org');
    const owner = new Browser(t.fastify);
    assert.equal((await loginFrom(owner, '198.51.100.8', 'max.m', goodPassword)).statusCode, 303);
    assert.ok(owner.cookies.get('sk_device'), 'a successful login leaves a device cookie');
    owner.cookies.delete('sk_session');
    // Five networks, three guesses each: more than the account's free attempts.
    const statuses: number[] = [];
    for (let n = 1; n <= 5; n++) {
      for (let i = 0; i < 3; i++)
        statuses.push((await loginFrom(new Browser(t.fastify), `192.0.${n}.1`, 'max.m', `guess ${n}.${i}`)).statusCode);
    }
    assert.equal(
      statuses.filter((s) => s === 400).length,
      perAccount.free + 1,
      'the account counts guesses from many networks',
    );
    const stranger = await loginFrom(new Browser(t.fastify), '198.51.100.200', 'max.m', goodPassword);
    assert.equal(stranger.statusCode, 429, 'a client the account does not know waits while the account is attacked');
    const forged = new Browser(t.fastify);
    forged.cookies.set('sk_device', `${owner.cookies.get('sk_device')}x`);
    assert.equal(
      (await loginFrom(forged, '198.51.100.201', 'max.m', goodPassword)).statusCode,
      429,
      'a forged device cookie counts as none',
    );
    const neighbour = new Browser(t.fastify);
    assert.equal((await loginFrom(neighbour, '198.51.100.11', 'erika.m', goodPassword)).statusCode, 303);
    neighbour.cookies.delete('sk_session');
    assert.equal(
      (await loginFrom(neighbour, '198.51.100.202', 'max.m', goodPassword)).statusCode,
      429,
      "another account's device cookie counts as none",
    );
    assert.equal(
      (await loginFrom(owner, '198.51.100.9', 'max.m', goodPassword)).statusCode,
      303,
      'the device cookie has its own budget, from any address',
    );
    assert.equal(
      (await loginFrom(new Browser(t.fastify), '198.51.100.8', 'max.m', goodPassword)).statusCode,
      303,
      'a new browser at the address of an earlier login has its own budget too',
    );
  });

  test("wrong passwords use up a device cookie's budget, and its delay ends", async () => {
    const owner = new Browser(t.fastify);
    assert.equal((await loginFrom(owner, '198.51.100.10', 'erika.m', goodPassword)).statusCode, 303);
    owner.cookies.delete('sk_session');
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++)
      statuses.push((await loginFrom(owner, '198.51.100.10', 'erika.m', `typo ${i}`)).statusCode);
    assert.deepEqual(statuses, [400, 400, 400, 400, 400, 400, 429, 429], 'five free failures, the sixth sets a delay');
    t.clock.advance(2_000);
    assert.equal((await loginFrom(owner, '198.51.100.10', 'erika.m', goodPassword)).statusCode, 303);
  });

  test('an IPv6 /64 counts as one source: new addresses in it do not bring new budgets', async () => {
    const inNetwork = (i: number) => `2001:db8:5:6:${(i + 1).toString(16)}::1`;
    for (let i = 0; i < perNetwork.free + 1; i++) {
      assert.equal(
        (await loginFrom(new Browser(t.fastify), inNetwork(i), `nobody${i}`, 'wrong password')).statusCode,
        400,
      );
    }
    assert.equal(
      (await loginFrom(new Browser(t.fastify), inNetwork(500), 'nobody.else', 'wrong password')).statusCode,
      429,
      'the next address of the /64 waits',
    );
    assert.equal(
      (await loginFrom(new Browser(t.fastify), '2001:db8:5:7::1', 'erika.m', goodPassword)).statusCode,
      303,
      'the neighbouring /64 does not',
    );
    t.clock.advance(2_000);
    assert.equal(
      (await loginFrom(new Browser(t.fastify), inNetwork(501), 'erika.m', goodPassword)).statusCode,
      303,
      'the delay ends',
    );
  });
});

describe('a ceiling on argon2 work', () => {
  test('password checks beyond the ceiling get the "very busy" page with 503 and Retry-After, and the ceiling holds', async () => {
    // One check at a time, no waiting, and a hash slow enough that parallel logins meet.
    const t = await buildTestApp({
      ARGON2_CONCURRENCY: '1',
      ARGON2_QUEUE_MS: '0',
      ARGON2_MEMORY_KIB: '32768',
      ARGON2_TIME_COST: '3',
    });
    try {
      const browsers = Array.from({ length: 6 }, () => new Browser(t.fastify));
      const tokens = await Promise.all(browsers.map((b) => b.csrf('/login/password')));
      const answers = await Promise.all(
        browsers.map((b, i) =>
          b.post('/login/password', { _csrf: tokens[i] ?? '', username: `nobody${i}`, password: 'wrong password' }),
        ),
      );
      const busy = answers.filter((a) => a.statusCode === 503);
      assert.ok(busy.length >= 1, `statuses ${answers.map((a) => a.statusCode).join(',')}`);
      assert.ok(
        answers.some((a) => a.statusCode === 400),
        'the checks within the ceiling ran',
      );
      assert.equal(busy[0]?.headers['retry-after'], '1');
      assert.match(busy[0]?.body ?? '', /Das Servicekonto ist gerade sehr beschäftigt/);
    } finally {
      await t.close();
    }
  });
});
