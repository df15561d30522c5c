/**
 * Fault: two server instances on one database behind a proxy that sends each
 * request to the other instance in turn. Whatever one instance wrote, the
 * other must see (README: "nothing that matters lives in process memory"):
 * the SSO session, OIDC codes, tokens and grants, remembered consent, and
 * the counters of rate limits and the login throttle.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import * as client from 'openid-client';
import { Browser, parsePage, readForm } from '../e2e/helpers/browser.ts';
import {
  authorizationRequest,
  authorize,
  discover,
  registrationArgs,
  type ServiceRegistration,
} from '../e2e/helpers/relying-party.ts';
import { childEnv, createScratchDatabase, dropScratchDatabase, freePort, runCli } from '../e2e/helpers/server.ts';
import { startSmtpSink } from '../e2e/helpers/smtp-sink.ts';
import {
  confirmAddress,
  confirmationLink,
  formFields,
  logIn,
  newCitizen,
  password,
  register,
  send,
  showsAccount,
  Tally,
  type Citizen,
} from './helpers/citizen.ts';
import { startRoundRobinProxy, type Hop, type RoundRobinProxy } from './helpers/round-robin-proxy.ts';
import { launchServer, type ServerProcess } from './helpers/server-process.ts';

const service: ServiceRegistration = {
  clientId: 'fault-service',
  clientSecret: randomBytes(32).toString('base64url'),
  redirectUri: 'https://service.example/callback',
  postLogoutRedirectUri: 'https://service.example/logged-out',
  name: 'Fehlertest-Dienst',
};

interface Cluster {
  proxy: RoundRobinProxy;
  instances: ServerProcess[];
  smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  config: client.Configuration;
}

let scratch: { name: string; url: string } | undefined;
const cluster: Partial<Cluster> = {};
let setupFailure: unknown;

before(async () => {
  try {
    scratch = await createScratchDatabase();
    const smtp = await startSmtpSink();
    cluster.smtp = smtp;
    const ports = [await freePort(), await freePort()];
    const proxy = await startRoundRobinProxy(ports);
    cluster.proxy = proxy;
    const envFor = (port: number) =>
      childEnv({
        DATABASE_URL: scratch?.url ?? '',
        PORT: String(port),
        HOST: '127.0.0.1',
        PUBLIC_URL: proxy.url,
        LOG_LEVEL: 'warn',
        START_EXAMPLE: 'false',
        SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
        // The proxy is on the loopback; the address the test's browsers claim before it is the client's.
        TRUST_PROXY: '127.0.0.1',
      });
    // Both start at once on the empty database: migrations, keys and installation secrets must come out as one set.
    const started = await Promise.allSettled(ports.map((port) => launchServer(envFor(port), port)));
    cluster.instances = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    for (const s of started) if (s.status === 'rejected') throw s.reason;
    // Registered while both run: neither may keep a client list of its own.
    await runCli(registrationArgs(service), envFor(ports[0] ?? 0));
    cluster.config = await discover(proxy.url, service);
  } catch (error) {
    setupFailure = error;
  }
});

after(async () => {
  for (const instance of cluster.instances ?? []) await instance.stop();
  await cluster.proxy?.close();
  await cluster.smtp?.close();
  if (scratch) await dropScratchDatabase(scratch.name);
});

function ready(): Cluster {
  if (setupFailure !== undefined) throw setupFailure;
  const { proxy, instances, smtp, config } = cluster;
  assert.ok(proxy && instances && smtp && config, 'the set-up did not run');
  return { proxy, instances, smtp, config };
}

/** Hops since `from` that match, with the instance that answered each. */
function hopsSince(proxy: RoundRobinProxy, from: number, match: (hop: Hop) => boolean): Hop[] {
  return proxy.hops.slice(from).filter(match);
}

function perInstance(hops: Hop[]): string {
  return `${hops.filter((h) => h.upstream === 0).length} via instance A, ${hops.filter((h) => h.upstream === 1).length} via instance B`;
}

/** A registered citizen with a confirmed address, all through the proxy. */
async function confirmedCitizen(address: string): Promise<Citizen> {
  const { proxy, smtp } = ready();
  const citizen = newCitizen('duo');
  const tally = new Tally();
  const browser = new Browser(proxy.url);
  const { acknowledged } = await register(browser, citizen, address, tally);
  assert.ok(acknowledged, `registering ${citizen.username}: ${tally.summary()}`);
  const link = confirmationLink((await smtp.waitFor(citizen.email)).text);
  assert.ok(link && link.startsWith(proxy.url), 'the mailed link points to the proxy (PUBLIC_URL)');
  // Through the proxy: the page at one instance, the button perhaps at the other.
  assert.equal(await confirmAddress(link), 303);
  return citizen;
}

describe('two instances on one database behind a round-robin proxy', () => {
  let citizen: Citizen | undefined;
  const theCitizen = async () => (citizen ??= await confirmedCitizen('10.6.0.1'));

  test('both instances publish the same keys', async (t) => {
    const { instances } = ready();
    const [a, b] = await Promise.all(
      instances.map(async (instance) => (await (await fetch(`${instance.baseUrl}/oidc/jwks`)).json()) as JSONWebKeySet),
    );
    assert.ok(a && b && a.keys.length > 0);
    assert.deepEqual(b, a, 'one key set, though both instances started at once on an empty database');
    t.diagnostic(`JWKS of both instances equal: ${a.keys.length} keys`);
  });

  test('SSO session: logged in via one instance, Mein Konto works via the other, logout ends it on both', async (t) => {
    const { proxy } = ready();
    const someone = await theCitizen();
    const tally = new Tally();
    const browser = new Browser(proxy.url);
    const from = proxy.hops.length;
    assert.ok(await logIn(browser, someone, '10.6.0.1', tally), `login through the proxy: ${tally.summary()}`);
    const [login] = hopsSince(proxy, from, (h) => h.method === 'POST' && h.path === '/login/password');
    assert.ok(login);
    // Twice more: with alternation, the two requests reach both instances.
    assert.ok(await showsAccount(browser, someone, '10.6.0.1', tally), 'Mein Konto via the next instance');
    assert.ok(await showsAccount(browser, someone, '10.6.0.1', tally), 'Mein Konto via the one after');
    const accountHops = hopsSince(proxy, from, (h) => h.path === '/account');
    assert.ok(
      accountHops.some((h) => h.upstream !== login.upstream && h.status === 200),
      'an instance that did not log the citizen in shows Mein Konto',
    );

    // Logout through one instance ends the session for both.
    const page = await browser.request('/account', { headers: { 'x-forwarded-for': '10.6.0.1' } });
    const logout = readForm(parsePage(await page.text()), 'form[action="/logout"]');
    const loggedOut = await browser.post('/logout', logout.fields);
    await loggedOut.body?.cancel();
    assert.ok(loggedOut.status < 400, `logout answered ${loggedOut.status}`);
    const [logoutHop] = hopsSince(proxy, from, (h) => h.method === 'POST' && h.path === '/logout');
    for (let i = 0; i < 2; i++) {
      const after = await browser.request('/account');
      await after.body?.cancel();
      assert.equal(after.status, 303, 'after logout Mein Konto sends to the login on either instance');
    }
    const afterLogout = hopsSince(proxy, from, (h) => h.path === '/account').slice(-2);
    assert.deepEqual(new Set(afterLogout.map((h) => h.upstream)), new Set([0, 1]));
    t.diagnostic(
      `login via instance ${'AB'[login.upstream]}; /account ${perInstance(accountHops)}; logout via ${'AB'[logoutHop?.upstream ?? 0]}, then refused on both`,
    );
  });

  let firstBrowser: Browser | undefined;

  test('OIDC: code from one instance, token, userinfo and refresh via the other', async (t) => {
    const { proxy, config, instances } = ready();
    const someone = await theCitizen();
    firstBrowser = new Browser(proxy.url);
    const request = await authorizationRequest(config, service);
    const from = proxy.hops.length;
    const { callback, pages } = await authorize(firstBrowser, request.url, { username: someone.username, password });
    assert.deepEqual(pages, ['choice', 'login', 'consent']);
    const code = callback.searchParams.get('code');
    assert.ok(code);
    const issuer = hopsSince(proxy, from, (h) => h.location?.includes(`code=${code}`) ?? false)[0];
    assert.ok(issuer, 'the proxy saw the redirect with the code');
    const other = 1 - issuer.upstream;

    await proxy.align(other);
    const beforeToken = proxy.hops.length;
    const tokens = await client.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: request.codeVerifier,
      expectedState: request.state,
      expectedNonce: request.nonce,
      idTokenExpected: true,
    });
    const tokenHop = hopsSince(proxy, beforeToken, (h) => h.method === 'POST' && h.path.startsWith('/oidc/token'))[0];
    assert.equal(tokenHop?.upstream, other, 'the code was redeemed at the other instance');
    const claims = tokens.claims();
    assert.ok(claims && tokens.refresh_token);

    // The ID token verifies against the key set of the instance that did not sign it.
    const jwks = (await (await fetch(`${instances[issuer.upstream]?.baseUrl}/oidc/jwks`)).json()) as JSONWebKeySet;
    await jwtVerify(tokens.id_token ?? '', createLocalJWKSet(jwks), { issuer: proxy.url, audience: service.clientId });

    const beforeUserinfo = proxy.hops.length;
    for (let i = 0; i < 2; i++)
      assert.equal(
        (await client.fetchUserInfo(config, tokens.access_token, claims.sub)).email,
        someone.email,
        'userinfo answers on either instance',
      );
    const userinfoHops = hopsSince(proxy, beforeUserinfo, (h) => h.path.startsWith('/oidc/userinfo'));
    assert.deepEqual(new Set(userinfoHops.map((h) => h.upstream)), new Set([0, 1]));

    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token);
    assert.equal(refreshed.claims()?.sub, claims.sub);
    assert.equal((await client.fetchUserInfo(config, refreshed.access_token, claims.sub)).email, someone.email);
    // The rotated-out refresh token is refused by either instance.
    for (let i = 0; i < 2; i++)
      await assert.rejects(
        client.refreshTokenGrant(config, tokens.refresh_token),
        (e: unknown) => e instanceof client.ResponseBodyError && e.error === 'invalid_grant',
      );
    t.diagnostic(
      `code issued via instance ${'AB'[issuer.upstream]}, redeemed via ${'AB'[other]}; userinfo ${perInstance(userinfoHops)}; refresh and reuse refused on both`,
    );
  });

  test('consent given via one instance is remembered via the other; SSO answers silently on both', async (t) => {
    const { proxy, config } = ready();
    const someone = await theCitizen();
    const consentHop = proxy.hops.findLast(
      (h) => h.method === 'POST' && /^\/interaction\/[^/]+\/consent$/.test(h.path),
    );
    assert.ok(consentHop, 'consent was given in the OIDC test');

    // Shifted by one request, every step of the flow lands on the other instance the second time.
    const runs: string[] = [];
    for (const start of [0, 1]) {
      await proxy.align(start);
      const browser = new Browser(proxy.url);
      const request = await authorizationRequest(config, service);
      const { callback, pages } = await authorize(browser, request.url, { username: someone.username, password });
      assert.deepEqual(
        pages,
        ['choice', 'login'],
        `a new login does not ask for consent again (flow starting at instance ${'AB'[start]})`,
      );
      const tokens = await client.authorizationCodeGrant(config, callback, {
        pkceCodeVerifier: request.codeVerifier,
        expectedState: request.state,
        expectedNonce: request.nonce,
        idTokenExpected: true,
      });
      assert.ok(tokens.claims()?.sub);
      runs.push(`login+code from ${'AB'[start]}`);
    }
    assert.ok(firstBrowser);
    for (const start of [0, 1]) {
      await proxy.align(start);
      const request = await authorizationRequest(config, service);
      const { pages } = await authorize(firstBrowser, request.url, { username: someone.username, password });
      assert.deepEqual(pages, [], `single sign-on without login or consent (flow starting at instance ${'AB'[start]})`);
      runs.push(`silent SSO from ${'AB'[start]}`);
    }
    t.diagnostic(`consent given via instance ${'AB'[consentHop.upstream]}; remembered in ${runs.join(', ')}`);
  });

  test('rate limits and the login throttle count across both instances', async (t) => {
    const { proxy } = ready();
    const someone = await theCitizen();

    /**
     * One form, then up to `times` POSTs with its CSRF token (alternating between the instances), stopping after a 429.
     */
    const burst = async (
      path: string,
      address: string,
      times: number,
      fields: (i: number) => Record<string, string>,
    ) => {
      const browser = new Browser(proxy.url);
      const csrf = formFields(await send(browser, path, address), path);
      assert.ok(csrf, `the form at ${path}`);
      const from = proxy.hops.length;
      const statuses: number[] = [];
      for (let i = 0; i < times; i++) {
        const outcome = await send(browser, path, address, { ...csrf, ...fields(i) });
        assert.equal(outcome.kind, 'answered');
        statuses.push(outcome.kind === 'answered' ? outcome.status : 0);
        if (statuses.at(-1) === 429) break;
      }
      const hops = hopsSince(proxy, from, (h) => h.method === 'POST' && h.path === path);
      assert.deepEqual(
        new Set(hops.map((h) => h.upstream)),
        new Set([0, 1]),
        `the POSTs to ${path} reached both instances`,
      );
      return { statuses, hops };
    };

    // Forms that send mail: 10 an hour per address (src/flows/recovery/routes.ts).
    const forgot = await burst('/forgot-password', '10.7.0.1', 11, (i) => ({
      identifier: `nobody_${i}_${randomBytes(3).toString('hex')}`,
    }));
    assert.deepEqual(
      forgot.statuses,
      [...Array<number>(10).fill(200), 429],
      'the 11th request of the hour is refused, though each instance saw only 5 or 6',
    );

    // Registration: 10 an hour per address.
    const registration = await burst('/register', '10.7.0.2', 11, () => {
      const c = newCitizen('duolimit');
      return { username: c.username, email: c.email, password, password2: password };
    });
    assert.deepEqual(
      registration.statuses,
      [...Array<number>(10).fill(303), 429],
      'the 11th registration of the hour is refused',
    );

    // Failed logins of one name from one address: 3 free, the 4th sets a delay of 1 s, the next within it is refused
    // (src/methods/password/throttle.ts). Counted per instance, 7 alternating guesses would bring neither instance past
    // 4.
    const guesses = await burst('/login/password', '10.7.0.3', 7, () => ({
      username: someone.username,
      password: 'wrong password 123',
    }));
    assert.deepEqual(
      guesses.statuses.slice(0, 4),
      [400, 400, 400, 400],
      'three free guesses and the one that sets the delay are answered',
    );
    assert.equal(guesses.statuses.at(-1), 429, 'the throttle counts the guesses made at both instances');

    t.diagnostic(`forgot-password: ${forgot.statuses.join(' ')} (${perInstance(forgot.hops)})`);
    t.diagnostic(`registration: ${registration.statuses.join(' ')} (${perInstance(registration.hops)})`);
    t.diagnostic(`wrong passwords: ${guesses.statuses.join(' ')} (${perInstance(guesses.hops)})`);
  });

  test('neither instance answered a request with a server error', (t) => {
    const { proxy, instances } = ready();
    assert.deepEqual(
      proxy.hops.filter((h) => h.status >= 500),
      [],
      'no 5xx through the proxy',
    );
    for (const [i, instance] of instances.entries()) {
      const errors = instance
        .output()
        .split('\n')
        .filter((line) => /"level":(50|60)/.test(line));
      assert.deepEqual(errors, [], `instance ${'AB'[i]} logged errors`);
    }
    t.diagnostic(`${proxy.hops.length} requests through the proxy: ${perInstance(proxy.hops)}`);
  });
});
