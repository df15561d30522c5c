import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { Browser, buildTestApp, followRedirects, login, registerVerified, type TestApp } from '../helpers/test-app.ts';

const redirectUri = 'https://service.example/callback';
const secret = 'a-client-secret-of-sufficient-length-123';

/** Consent is remembered per service and scope set, asked again for more, and revocable with the tokens. */
describe('consent through the OIDC flow', () => {
  let t: TestApp;
  let browser: Browser;
  before(async () => {
    t = await buildTestApp();
    await t.app.services.upsertOidc(
      {
        client_id: 'fees',
        client_secret: secret,
        client_name: 'Elternbeiträge',
        redirect_uris: [redirectUri],
        token_endpoint_auth_method: 'client_secret_basic',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
      },
      'Elternbeiträge Online',
      'Stadt Musterstadt',
    );
    browser = new Browser(t.fastify);
    await registerVerified(t, browser, 'erika.m', 'erika@example.org');
    await login(browser, 'erika.m');
  });
  after(() => t.close());

  const follow = (url: string) => followRedirects(browser, url);

  async function authorize(scope: string, extra: Record<string, string> = {}) {
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const query = new URLSearchParams({
      client_id: 'fees',
      redirect_uri: redirectUri,
      response_type: 'code',
      scope,
      state: 'st',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      ...extra,
    });
    return { verifier, response: await follow(`/oidc/auth?${query}`) };
  }

  async function consent(page: LightMyRequestResponse & { finalUrl: string }) {
    const action = /action="(\/interaction\/[^"]+\/consent)"/.exec(page.body)?.[1];
    const _csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
    assert.ok(action && _csrf, 'a consent form');
    const posted = await browser.post(action, { _csrf });
    assert.equal(posted.statusCode, 303);
    const location = new URL(String(posted.headers.location), 'http://localhost:3000');
    return follow(`${location.pathname}${location.search}`);
  }

  async function token(body: Record<string, string>) {
    return t.fastify.inject({
      method: 'POST',
      url: '/oidc/token',
      payload: new URLSearchParams(body).toString(),
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`fees:${secret}`).toString('base64')}`,
      },
    });
  }

  let refreshToken = '';

  test('the first request shows who asks for what, in plain language', async () => {
    const { response, verifier } = await authorize('openid email');
    assert.equal(response.statusCode, 200);
    assert.match(response.body, /„Elternbeiträge Online“ erhält diese Daten/);
    assert.match(response.body, /Betreiber: Stadt Musterstadt/);
    assert.match(response.body, /E-Mail-Adresse/);
    assert.match(response.body, /erika@example.org/);
    const done = await consent(response);
    const code = new URL(done.finalUrl).searchParams.get('code');
    assert.ok(code, `redirected with a code: ${done.finalUrl}`);
    const tokens = await token({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      code_verifier: verifier,
    });
    assert.equal(tokens.statusCode, 200, tokens.body);
    refreshToken = tokens.json<{ refresh_token: string }>().refresh_token;
    assert.ok(refreshToken);
  });

  test('the same request again is answered without asking', async () => {
    const { response } = await authorize('openid email');
    assert.ok(new URL(response.finalUrl).searchParams.get('code'), 'straight back with a code');
  });

  test('asking for more data asks again, for the new data', async () => {
    const { response } = await authorize('openid email profile');
    assert.equal(response.statusCode, 200);
    assert.match(response.body, /Vorname\(n\)/);
    assert.match(response.body, /Geburtsdatum/);
    const done = await consent(response);
    assert.ok(new URL(done.finalUrl).searchParams.get('code'));
    const account = await t.app.accounts.byLogin('erika.m');
    assert.deepEqual(await t.app.consents.active(account?.id ?? '', 'fees'), ['email', 'openid', 'profile']);
  });

  test('revoking consent on the account page revokes the refresh token and asks again next time', async () => {
    const page = await browser.get('/account/services');
    assert.match(page.body, /Elternbeiträge Online/);
    const _csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const revoked = await browser.follow(
      await browser.post('/account/services/revoke', { _csrf, service: 'fees' }),
      '/account/services',
    );
    assert.equal(revoked.statusCode, 200);
    assert.match(revoked.body, /Freigabe für „Elternbeiträge Online“ ist widerrufen/);
    const refreshed = await token({ grant_type: 'refresh_token', refresh_token: refreshToken });
    assert.equal(refreshed.statusCode, 400);
    assert.equal(refreshed.json<{ error: string }>().error, 'invalid_grant');
    const { response } = await authorize('openid email');
    assert.equal(response.statusCode, 200, 'the consent page again');
    assert.match(response.body, /erhält diese Daten/);
  });

  test('the claims parameter cannot fetch more than the consent page showed', async () => {
    const { response, verifier } = await authorize('openid', {
      claims: JSON.stringify({ userinfo: { email: null, given_name: null, address: null }, id_token: { email: null } }),
    });
    const page = response.statusCode === 200 ? await consent(response) : response;
    const code = new URL(page.finalUrl).searchParams.get('code') ?? '';
    const tokens = await token({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      code_verifier: verifier,
    });
    assert.equal(tokens.statusCode, 200, tokens.body);
    const { access_token, id_token } = tokens.json<{ access_token: string; id_token: string }>();
    const userinfo = await t.fastify.inject({
      method: 'GET',
      url: '/oidc/userinfo',
      headers: { authorization: `Bearer ${access_token}` },
    });
    assert.deepEqual(Object.keys(userinfo.json<Record<string, unknown>>()), ['sub']);
    const idClaims = JSON.parse(Buffer.from(id_token.split('.')[1] ?? '', 'base64url').toString()) as Record<
      string,
      unknown
    >;
    assert.equal(idClaims.email, undefined);
  });

  test("a service cannot introspect another service's tokens", async () => {
    await t.app.services.upsertOidc(
      {
        client_id: 'other',
        client_secret: secret,
        redirect_uris: ['https://other.example/cb'],
        token_endpoint_auth_method: 'client_secret_basic',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
      },
      'Other',
    );
    const { response, verifier } = await authorize('openid email');
    const done = response.statusCode === 200 ? await consent(response) : response;
    const code = new URL(done.finalUrl).searchParams.get('code') ?? '';
    const { access_token } = (
      await token({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier })
    ).json<{ access_token: string }>();
    const introspect = (client: string) =>
      t.fastify.inject({
        method: 'POST',
        url: '/oidc/token/introspection',
        payload: new URLSearchParams({ token: access_token }).toString(),
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`${client}:${secret}`).toString('base64')}`,
        },
      });
    assert.equal((await introspect('fees')).json<{ active: boolean }>().active, true);
    const foreign = (await introspect('other')).json<Record<string, unknown>>();
    assert.equal(foreign.active, false);
    assert.equal(foreign.sub, undefined);
  });

  test('prompt=login and an exceeded max_age ask for the login again despite the SSO session', async () => {
    for (const extra of [{ prompt: 'login' }, { max_age: '0' }] as Record<string, string>[]) {
      t.clock.advance(1000);
      const { response } = await authorize('openid email', extra);
      assert.equal(response.statusCode, 200, JSON.stringify(extra));
      assert.match(response.body, /Wie möchten Sie sich anmelden\?/, JSON.stringify(extra));
    }
    const { response } = await authorize('openid email', { max_age: '3600' });
    assert.ok(new URL(response.finalUrl).searchParams.get('code'), 'a max_age the session meets asks nothing');
  });

  test('declining returns access_denied to the service', async () => {
    const { response } = await authorize('openid email address');
    const action = /action="(\/interaction\/[^"]+\/abort)"/.exec(response.body)?.[1] ?? '';
    const _csrf = /name="_csrf" value="([^"]+)"/.exec(response.body)?.[1] ?? '';
    const posted = await browser.post(action, { _csrf });
    const location = new URL(String(posted.headers.location), 'http://localhost:3000');
    const done = await follow(`${location.pathname}${location.search}`);
    assert.equal(new URL(done.finalUrl).searchParams.get('error'), 'access_denied');
  });
});
