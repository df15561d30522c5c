// Issue 15, point 13: what the README tells integrators about refresh tokens, checked with openid-client against the
// real app: every code exchange brings one (no offline_access needed), it rotates on use, and it lives as long as the
// longest session of the login's level after the login (TR-03160-1 table 2), rotations included.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as client from 'openid-client';
import { userLock } from '../../src/cli/user-admin.ts';
import { authorizationRequest, discoverInjected } from '../helpers/inject-relying-party.ts';
import { Browser, buildTestApp, followRedirects, login, registerVerified, type TestApp } from '../helpers/test-app.ts';

const secret = 'a-client-secret-of-sufficient-length-123';
const redirectUri = 'https://service.example/callback';
let t: TestApp;
let config: client.Configuration;
let accountId = '';
let username = '';

/** The token endpoint refused the refresh token: OAuth `invalid_grant` (RFC 6749 §5.2). */
const invalidGrant = (error: unknown) => error instanceof client.ResponseBodyError && error.error === 'invalid_grant';

before(async () => {
  t = await buildTestApp();
  await t.app.services.upsertOidc(
    {
      client_id: 'refresher',
      client_secret: secret,
      client_name: 'Refresher',
      redirect_uris: [redirectUri],
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      id_token_signed_response_alg: 'RS256',
    },
    'Refresher',
  );
  config = await discoverInjected(t.fastify, 'refresher', {}, client.ClientSecretBasic(secret));
  username = await registerVerified(t, new Browser(t.fastify));
  accountId = (await t.app.accounts.byLogin(username))?.id ?? '';
});
after(() => t.close());

/** The browser's way to the callback (consent given when asked), then the code exchange by openid-client. */
/**
 * The app's test clock set to the real time: oidc-provider stamps a token's `exp` by the real clock and our lifetime
 * by the test clock, so on a loaded machine (minutes between the app's start and a token) they drift apart.
 */
const catchUpClock = () => t.clock.advance(Date.now() - t.clock.now().getTime());

async function tokensFor(browser: Browser, extra: Record<string, string>) {
  catchUpClock();
  const { url, checks } = await authorizationRequest(config, redirectUri, extra);
  let page = await followRedirects(browser, `${url.pathname}${url.search}`);
  const consent = /action="(\/interaction\/[^"]+\/consent)"/.exec(page.body)?.[1];
  if (consent) {
    const _csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const posted = await browser.post(consent, { _csrf });
    const next = new URL(String(posted.headers.location), 'http://localhost:3000');
    page = await followRedirects(browser, `${next.pathname}${next.search}`);
  }
  assert.ok(page.finalUrl.startsWith(redirectUri), `back at the service, not at ${page.finalUrl}`);
  return client.authorizationCodeGrant(config, new URL(page.finalUrl), checks);
}

/**
 * Seconds from the login to the refresh token's end, to within two minutes (the test clock caught up with the real
 * one before each token, see catchUpClock).
 */
const lifetime = async (refreshToken: string, authTime: number) => {
  const introspected = await client.tokenIntrospection(config, refreshToken);
  assert.equal(introspected.active, true);
  return (introspected.exp ?? 0) - authTime;
};

function assertAbout(actual: number, expected: number, message?: string): void {
  assert.ok(
    Math.abs(actual - expected) <= 120,
    `${actual} s, expected about ${expected} s${message ? `: ${message}` : ''}`,
  );
}

test('a refresh token comes with every code, with or without offline_access, and lives as long as the login level allows', async () => {
  const browser = new Browser(t.fastify);
  catchUpClock();
  assert.equal((await login(browser, username)).statusCode, 303);
  const requests: Record<string, string>[] = [
    { scope: 'openid' },
    { scope: 'openid offline_access' },
    { scope: 'openid offline_access', prompt: 'consent' },
  ];
  for (const extra of requests) {
    const tokens = await tokensFor(browser, extra);
    assert.ok(tokens.refresh_token, `a refresh token for ${JSON.stringify(extra)}`);
    const authTime = tokens.claims()?.auth_time ?? 0;
    // A password login on typed-in data is basis: 12 hours from the login (TR-03160-1 table 2).
    assertAbout(await lifetime(tokens.refresh_token, authTime), 12 * 3600);
    // Rotation: a new refresh token each time, the old one refused, the end the same.
    catchUpClock();
    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token);
    assert.ok(refreshed.refresh_token && refreshed.refresh_token !== tokens.refresh_token);
    assertAbout(await lifetime(refreshed.refresh_token, authTime), 12 * 3600, 'rotation does not extend it');
    await assert.rejects(client.refreshTokenGrant(config, tokens.refresh_token), invalidGrant);
  }

  // A login at substanziell: 2 hours.
  const strong = new Browser(t.fastify);
  strong.cookies.set(t.app.cookies.session, (await t.app.sessions.start(accountId, 3, ['pwd', 'otp', 'mfa'])).token);
  const tokens = await tokensFor(strong, { scope: 'openid', acr_values: 'http://eidas.europa.eu/LoA/substantial' });
  assert.equal(tokens.claims()?.acr, 'http://eidas.europa.eu/LoA/substantial');
  assertAbout(await lifetime(tokens.refresh_token ?? '', tokens.claims()?.auth_time ?? 0), 2 * 3600);

  // An account the operator locks loses its refresh tokens at once.
  await userLock.run(t.app.db, { account: username, reason: 'test' }, t.app.config, {
    out: () => undefined,
    err: () => undefined,
  });
  await assert.rejects(client.refreshTokenGrant(config, tokens.refresh_token ?? ''), invalidGrant);
});
