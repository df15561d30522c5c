import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { Browser, buildTestApp, type TestApp } from '../helpers/test-app.ts';

/**
 * Found by fuzzing: what oidc-provider's Koa app answered with its own
 * defaults (500 or 404 text/plain) gets our HTML error page, and NUL in a
 * parameter the provider would store is a 400, never a database error.
 */
describe('oidc-provider fallbacks', () => {
  let t: TestApp;
  const redirectUri = 'https://service.example/callback';
  const authorize =
    '/oidc/auth?client_id=one&response_type=code&scope=openid&state=s&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256';

  before(async () => {
    t = await buildTestApp();
    // One redirect URI: oidc-provider may then fill in a missing redirect_uri, the path of the resume 500.
    await t.app.services.upsertOidc(
      {
        client_id: 'one',
        client_secret: 'a-client-secret-of-sufficient-length-123',
        client_name: 'One',
        redirect_uris: [redirectUri],
        token_endpoint_auth_method: 'client_secret_basic',
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
      'Ein Dienst',
    );
  });
  after(() => t.close());

  const ourPage = (response: LightMyRequestResponse, status: number, code: string, what: string) => {
    assert.equal(response.statusCode, status, what);
    assert.match(String(response.headers['content-type']), /^text\/html/, what);
    assert.match(response.body, /^<!doctype html>\s*<html lang="de">/i, what);
    assert.match(response.body, new RegExp(`<code>${code}</code>`), what);
    assert.match(String(response.headers['content-security-policy']), /default-src 'self'/, what);
    assert.doesNotMatch(response.body, /TypeError|node_modules|at .*\.(ts|js):\d+/, what);
  };

  test('resuming an interaction with a forged, stale or foreign resume cookie is the "expired" page (was a 500)', async () => {
    for (const cookie of ['sk_oidc_resume=x', 'sk_oidc_resume=x; sk_oidc_resume.sig=y']) {
      const response = await t.fastify.inject({
        method: 'GET',
        url: '/oidc/auth/some-uid?client_id=one',
        headers: { accept: 'text/html', cookie },
      });
      ourPage(response, 400, 'interaction_expired', cookie);
      assert.match(response.body, /hat zu lange gedauert/);
    }
    // A real resume cookie whose interaction has expired (30 minutes).
    const browser = new Browser(t.fastify);
    const started = await browser.get(authorize);
    assert.equal(started.statusCode, 303, started.body);
    const uid = /^\/interaction\/([^/]+)$/.exec(String(started.headers.location))?.[1];
    assert.ok(uid && browser.cookies.has('sk_oidc_resume'), 'the provider set its resume cookie');
    t.clock.advance(31 * 60 * 1000);
    ourPage(await browser.get(`/oidc/auth/${uid}?client_id=one`), 400, 'interaction_expired', 'stale');
    // Without client_id the provider's own error handling answers, through our renderError (oidc/pages.ts).
    const withoutClient = await browser.get(`/oidc/auth/${uid}`);
    assert.equal(withoutClient.statusCode, 400);
    assert.match(withoutClient.body, /<html lang="de">[\s\S]*hat zu lange gedauert/);
    // The English page for an English browser.
    const english = await browser.get(`/oidc/auth/${uid}?client_id=one`, { 'accept-language': 'en' });
    assert.match(english.body, /<html lang="en">/);
  });

  test('NUL in a query parameter the provider would store (state) is a 400 page (was a 500 from jsonb)', async () => {
    const browser = new Browser(t.fastify);
    for (const url of [
      '/oidc/session/end?state=%00',
      '/oidc/session/end?state=a%00b&client_id=one',
      `${authorize.replace('state=s', 'state=%00')}`,
      '/oidc/auth?client_id=one&nonce=%00',
      '/.well-known/openid-configuration?%00=1',
    ]) {
      ourPage(await browser.get(url), 400, 'bad_request', url);
    }
  });

  test('a path under /oidc/ without a route is our 404 page (was 404 text/plain); the protocol endpoints still answer JSON', async () => {
    const requests: { method: 'GET' | 'POST'; url: string }[] = [
      { method: 'POST', url: '/oidc/auth' },
      { method: 'GET', url: '/oidc/auth/some-uid/x' },
      { method: 'GET', url: '/oidc/session/end/x' },
      { method: 'POST', url: '/oidc/session/end' },
      { method: 'GET', url: '/oidc/reg' },
      { method: 'GET', url: '/oidc/nothing' },
    ];
    for (const { method, url } of requests) {
      const response = await t.fastify.inject({ method, url, headers: { accept: 'text/html' } });
      ourPage(response, 404, 'not_found', `${method} ${url}`);
    }
    const token = await t.fastify.inject({
      method: 'POST',
      url: '/oidc/token',
      headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'grant_type=authorization_code&code=x',
    });
    assert.equal(token.statusCode, 400);
    assert.match(String(token.headers['content-type']), /^application\/json/);
    assert.equal(token.json<{ error: string }>().error, 'invalid_request');
    const userinfo = await t.fastify.inject({
      method: 'GET',
      url: '/oidc/userinfo',
      headers: { accept: 'application/json' },
    });
    assert.equal(userinfo.statusCode, 401);
    assert.match(String(userinfo.headers['content-type']), /^application\/json/);
    const jwks = await t.fastify.inject({ method: 'GET', url: '/oidc/jwks' });
    assert.equal(jwks.statusCode, 200);
    assert.ok(Array.isArray(jwks.json<{ keys: unknown[] }>().keys));
  });

  /** Hidden fields of a page's form, by name. */
  const hiddenFields = (body: string) =>
    Object.fromEntries(
      [...body.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)].map(([, name, value]) => [
        name,
        value?.replaceAll('&quot;', '"').replaceAll('&amp;', '&'),
      ]),
    );

  test("oidc-provider's own form post pages are ours: German or English, no inline script, the same fields (was 'Submitting Callback')", async () => {
    const browser = new Browser(t.fastify);
    // A logout without a session: the provider posts to its confirm endpoint at once.
    const logout = await browser.get('/oidc/session/end', { accept: 'text/html' });
    assert.equal(logout.statusCode, 200);
    assert.match(logout.body, /^<!doctype html>\s*<html lang="de">/i);
    assert.match(logout.body, /<title>Abmeldung/);
    assert.doesNotMatch(logout.body, /Submitting Callback|<script>/);
    assert.doesNotMatch(
      String(logout.headers['content-security-policy']),
      /script-src[^;]*sha256-/,
      'no hash for an inline script that is gone',
    );
    assert.match(
      logout.body,
      /<form method="post" action="http:\/\/localhost:3000\/oidc\/session\/end\/confirm" data-saml-post>/,
    );
    const fields = hiddenFields(logout.body);
    assert.deepEqual(Object.keys(fields).sort(), ['logout', 'xsrf']);
    assert.equal(fields.logout, 'yes');
    // The browser's post of that form is what the provider expects (its xsrf check passes).
    const confirmed = await browser.post('/oidc/session/end/confirm', fields as Record<string, string>);
    assert.ok(confirmed.statusCode === 200 || confirmed.statusCode === 303, `confirm answered ${confirmed.statusCode}`);
    assert.doesNotMatch(confirmed.body, /invalid_request|xsrf/i);

    // An authorization error sent back by response_mode=form_post (prompt=none, nobody logged in), in English for an
    // English browser.
    const error = await browser.get(
      `${authorize.replace('state=s', 'state=st%26%22x')}&prompt=none&response_mode=form_post&redirect_uri=${encodeURIComponent(redirectUri)}`,
      { accept: 'text/html', 'accept-language': 'en' },
    );
    assert.equal(error.statusCode, 400);
    assert.match(error.body, /<html lang="en">/);
    assert.match(error.body, /<title>On to the online service/);
    assert.match(error.body, new RegExp(`action="${redirectUri}"`));
    const errorFields = hiddenFields(error.body);
    assert.equal(errorFields.error, 'login_required');
    assert.equal(errorFields.state, 'st&"x', 'escaped values come back exactly');
  });
});
