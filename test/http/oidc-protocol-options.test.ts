import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as client from 'openid-client';
import type { OidcClientMetadata } from '../../src/services/service-repository.ts';
import { authorizationRequest, discoverInjected } from '../helpers/inject-relying-party.ts';
import { Browser, buildTestApp, followRedirects, type TestApp } from '../helpers/test-app.ts';

const secret = 'a-client-secret-of-sufficient-length-123';
const redirectUri = 'https://service.example/callback';
const basicClient: OidcClientMetadata = {
  client_id: 'basic',
  client_secret: secret,
  client_name: 'Basic',
  redirect_uris: [redirectUri],
  token_endpoint_auth_method: 'client_secret_basic',
  grant_types: ['authorization_code', 'client_credentials'],
  response_types: ['code'],
};

/** Issue 13 points 11 and 18: client authentication as registered, and `ui_locales` (OIDC Core §3.1.2.1). */
describe('OIDC: client authentication and ui_locales', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
    await t.app.services.upsertOidc(basicClient, 'Basic-Dienst');
  });
  after(() => t.close());

  test('a client_secret_basic client sending its secret in the body (client_secret_post) is invalid_client (was accepted)', async () => {
    const post = await discoverInjected(t.fastify, 'basic', {}, client.ClientSecretPost(secret));
    await assert.rejects(client.clientCredentialsGrant(post, { scope: 'openid' }), (error: unknown) => {
      assert.ok(error instanceof client.ResponseBodyError, String(error));
      assert.equal(error.status, 401);
      assert.equal(error.error, 'invalid_client');
      return true;
    });
    // The registered way still works.
    const basic = await discoverInjected(t.fastify, 'basic', {}, client.ClientSecretBasic(secret));
    assert.ok((await client.clientCredentialsGrant(basic)).access_token);
  });

  /** The first interaction page of an authorization request with these extra parameters. */
  async function interactionPage(browser: Browser, extra: Record<string, string>) {
    const config = await discoverInjected(t.fastify, 'basic', {}, client.ClientSecretBasic(secret));
    const { url } = await authorizationRequest(config, redirectUri, extra);
    const page = await followRedirects(browser, `${url.pathname}${url.search}`);
    assert.equal(page.statusCode, 200, page.body.slice(0, 300));
    assert.match(page.finalUrl, /^\/interaction\/[^/]+$/);
    return page;
  }

  test('ui_locales chooses the language of the interaction pages, down to the password page (was always German)', async () => {
    const browser = new Browser(t.fastify);
    const choice = await interactionPage(browser, { ui_locales: 'fr-CA en-GB de' });
    assert.match(choice.body, /<html lang="en">/);
    const password = await browser.get(`${choice.finalUrl}/password`);
    assert.equal(password.statusCode, 200);
    assert.match(password.body, /<html lang="en">/);
    // Only this interaction's pages: the cookie that carries the language is set for their path alone.
    assert.ok(browser.cookies.has(t.app.cookies.interactionLang));
    // Without ui_locales (and a German browser) the page is German.
    assert.match((await interactionPage(new Browser(t.fastify), { ui_locales: 'fr' })).body, /<html lang="de">/);
  });

  test('ui_locales on the page that posts a logout without a session (its confirmation: oidc-session.test.ts)', async () => {
    const page = await new Browser(t.fastify).get('/oidc/session/end?ui_locales=en');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<html lang="en">/);
  });

  test("the citizen's own choice of language outranks ui_locales", async () => {
    const browser = new Browser(t.fastify);
    browser.cookies.set(t.app.cookies.lang, 'de');
    assert.match((await interactionPage(browser, { ui_locales: 'en' })).body, /<html lang="de">/);
  });
});

describe("OIDC in production: oidc-provider's cookies", () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp({
      NODE_ENV: 'production',
      PUBLIC_URL: 'https://konto.example',
      ALLOW_EMBEDDED_DB: 'true',
      SMTP_URL: 'smtp://127.0.0.1:1',
    });
    await t.app.services.upsertOidc({ ...basicClient, grant_types: ['authorization_code'] }, 'Basic-Dienst');
  });
  after(() => t.close());

  const cookiesOf = (header: string | string[] | undefined) =>
    (Array.isArray(header) ? header : header ? [header] : []).map((cookie) => ({
      name: cookie.split('=')[0] ?? '',
      attributes: cookie
        .toLowerCase()
        .split(';')
        .slice(1)
        .map((a) => a.trim()),
    }));

  test('the session cookie is __Host- (Secure, Path=/, no Domain); the per-interaction cookies __Secure- (were unprefixed)', async () => {
    const logout = await t.fastify.inject({ method: 'GET', url: '/oidc/session/end' });
    const session = cookiesOf(logout.headers['set-cookie']).filter((c) => c.name.startsWith('__Host-sk_oidc_session'));
    assert.deepEqual(session.map((c) => c.name).sort(), ['__Host-sk_oidc_session', '__Host-sk_oidc_session.sig']);
    for (const cookie of session) {
      assert.ok(
        cookie.attributes.includes('secure') && cookie.attributes.includes('path=/'),
        cookie.attributes.join('; '),
      );
      assert.ok(!cookie.attributes.some((a) => a.startsWith('domain=')));
    }

    const query = new URLSearchParams({
      client_id: 'basic',
      response_type: 'code',
      scope: 'openid',
      state: 's',
      redirect_uri: redirectUri,
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
      ui_locales: 'en',
    });
    const started = await t.fastify.inject({ method: 'GET', url: `/oidc/auth?${query}` });
    assert.equal(started.statusCode, 303);
    const set = cookiesOf(started.headers['set-cookie']);
    assert.deepEqual(set.map((c) => c.name).sort(), [
      '__Secure-sk_oidc_interaction',
      '__Secure-sk_oidc_interaction.sig',
      '__Secure-sk_oidc_resume',
      '__Secure-sk_oidc_resume.sig',
      'sk_interaction_lang',
    ]);
    for (const cookie of set)
      assert.ok(
        cookie.attributes.includes('secure') && cookie.attributes.includes('httponly'),
        `${cookie.name}: ${cookie.attributes.join('; ')}`,
      );
    const interactionPath = `path=${String(started.headers.location)}`.toLowerCase();
    assert.ok(
      set.find((c) => c.name === 'sk_interaction_lang')?.attributes.includes(interactionPath),
      'the ui_locales language holds for this interaction only',
    );
  });
});
