import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as client from 'openid-client';
import { authorizationRequest, discoverInjected } from '../helpers/inject-relying-party.ts';
import { Browser, buildTestApp, followRedirects, login, registerVerified, type TestApp } from '../helpers/test-app.ts';

const acr = { basis: 'urn:servicekonto:loa:basis', substantial: 'http://eidas.europa.eu/LoA/substantial' } as const;
const secret = 'a-client-secret-of-sufficient-length-123';
const redirectUri = 'https://service.example/callback';

/**
 * Issue 13 points 6 and 10: the provider's session follows the Servicekonto's
 * SSO session (DESIGN.md §5a) in what tokens claim and in when it ends;
 * openid-client is the relying party.
 */
describe("the provider's session follows ours", () => {
  let t: TestApp;
  let username = '';
  let accountId = '';
  const configs = new Map<string, client.Configuration>();

  before(async () => {
    t = await buildTestApp();
    for (const id of ['first', 'second']) {
      await t.app.services.upsertOidc(
        {
          client_id: id,
          client_secret: secret,
          client_name: id,
          redirect_uris: [redirectUri],
          post_logout_redirect_uris: ['https://service.example/bye'],
          token_endpoint_auth_method: 'client_secret_basic',
          grant_types: ['authorization_code', 'refresh_token'],
          response_types: ['code'],
        },
        `Dienst ${id}`,
      );
      configs.set(
        id,
        await discoverInjected(
          t.fastify,
          id,
          { id_token_signed_response_alg: 'ES256' },
          client.ClientSecretBasic(secret),
        ),
      );
    }
    username = await registerVerified(t, new Browser(t.fastify));
    accountId = (await t.app.accounts.byLogin(username))?.id ?? '';
  });
  after(() => t.close());

  const config = (id: string) => {
    const found = configs.get(id);
    assert.ok(found, `client ${id} is set up`);
    return found;
  };

  /** Authorization in the browser (consent given when asked), then the code exchange by openid-client. */
  async function tokensFor(
    browser: Browser,
    id: string,
    extra: Record<string, string> = {},
  ): Promise<{ tokens: client.TokenEndpointResponse & client.TokenEndpointResponseHelpers; pages: string[] }> {
    const { url, checks } = await authorizationRequest(config(id), redirectUri, extra);
    const pages: string[] = [];
    let page = await followRedirects(browser, `${url.pathname}${url.search}`);
    const consent = /action="(\/interaction\/[^"]+\/consent)"/.exec(page.body)?.[1];
    if (consent) {
      pages.push('consent');
      const _csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
      const posted = await browser.post(consent, { _csrf });
      assert.equal(posted.statusCode, 303, posted.body);
      const next = new URL(String(posted.headers.location), 'http://localhost:3000');
      page = await followRedirects(browser, `${next.pathname}${next.search}`);
    }
    assert.ok(
      page.finalUrl.startsWith(redirectUri),
      `back at the service, not at ${page.finalUrl}: ${page.body.slice(0, 300)}`,
    );
    return { tokens: await client.authorizationCodeGrant(config(id), new URL(page.finalUrl), checks), pages };
  }

  test('after a password-only login replaced a 2FA session, a silent authorization says so: acr, amr and auth_time of the newer login (was the older, stronger one)', async () => {
    const browser = new Browser(t.fastify);
    // The 2FA login (what the step-up flow leaves behind: level 3 by password and app, RFC 8176 amr),
    // ten minutes ago; both services get a login from it and their consent.
    t.clock.advance(-10 * 60 * 1000);
    const strong = await t.app.sessions.start(accountId, 3, ['pwd', 'otp', 'mfa']);
    browser.cookies.set(t.app.cookies.session, strong.token);
    const first = await tokensFor(browser, 'first');
    assert.deepEqual(first.pages, ['consent']);
    const firstClaims = first.tokens.claims();
    assert.equal(firstClaims?.acr, acr.substantial);
    assert.deepEqual(firstClaims?.amr, ['pwd', 'otp', 'mfa']);
    assert.equal(firstClaims?.auth_time, Math.floor(strong.session.authTime.getTime() / 1000));
    assert.deepEqual((await tokensFor(browser, 'second')).pages, ['consent']);

    // Five minutes later the citizen logs in again in the account area, with the password only:
    // our SSO session is replaced, the provider's session is not touched.
    t.clock.advance(5 * 60 * 1000);
    const loggedIn = await login(browser, username);
    assert.equal(loggedIn.statusCode, 303, loggedIn.body);
    const weak = await t.app.sessions.resume(browser.cookies.get(t.app.cookies.session));
    assert.ok(weak && weak.level === 1, 'a password login on self-typed data is basis');

    // A silent authorization (prompt=none, OIDC Core §3.1.2.1) for the other service: no page, and the truth.
    // max_age too is measured from the newer login (5 minutes ago), not the older one (10 minutes ago).
    const silent = await tokensFor(browser, 'second', { prompt: 'none', max_age: '400' });
    assert.deepEqual(silent.pages, []);
    const claims = silent.tokens.claims();
    assert.equal(claims?.acr, acr.basis, 'the level of the session that exists now');
    assert.deepEqual(claims?.amr, ['pwd']);
    assert.equal(claims?.auth_time, Math.floor(weak.authTime.getTime() / 1000), 'the time of the newer login');

    // Refreshed tokens keep the level of the login they came from, in both directions.
    const refreshedFirst = await client.refreshTokenGrant(config('first'), first.tokens.refresh_token ?? '');
    assert.equal(refreshedFirst.claims()?.acr, acr.substantial);
    assert.deepEqual(refreshedFirst.claims()?.amr, ['pwd', 'otp', 'mfa']);
    const refreshedSilent = await client.refreshTokenGrant(config('second'), silent.tokens.refresh_token ?? '');
    assert.equal(refreshedSilent.claims()?.acr, acr.basis);
    assert.equal(refreshedSilent.claims()?.auth_time, claims?.auth_time);
  });

  test('a logout confirmation without the right xsrf token is refused and ends nothing (was: 400, yet our SSO session deleted)', async () => {
    const browser = new Browser(t.fastify);
    assert.equal((await login(browser, username)).statusCode, 303);
    await tokensFor(browser, 'first');
    const token = browser.cookies.get(t.app.cookies.session);
    const logoutPage = await browser.get('/oidc/session/end?ui_locales=en');
    assert.equal(logoutPage.statusCode, 200);
    assert.match(logoutPage.body, /<html lang="en">/, 'the confirmation page in the language the service asked for');
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(logoutPage.body)?.[1];
    assert.ok(xsrf, 'the confirmation page carries its xsrf token');

    // A forged confirmation (another site's form knows no token, RP-Initiated Logout 1.0 §6 logout CSRF).
    for (const forged of [{ logout: 'yes' }, { logout: 'yes', xsrf: 'forged' }] as Record<string, string>[]) {
      const refused = await browser.post('/oidc/session/end/confirm', forged);
      assert.equal(refused.statusCode, 400, JSON.stringify(forged));
      assert.ok(await t.app.sessions.resume(token), `our SSO session survives ${JSON.stringify(forged)}`);
      assert.equal((await browser.get('/account')).statusCode, 200, 'the citizen is still logged in');
    }

    // The citizen's own confirmation ends both sessions.
    const confirmed = await browser.post('/oidc/session/end/confirm', { logout: 'yes', xsrf });
    assert.equal(confirmed.statusCode, 303);
    assert.equal(await t.app.sessions.resume(token), undefined, 'our SSO session has ended with the confirmed logout');
    assert.equal((await followRedirects(browser, String(confirmed.headers.location))).finalUrl, '/logout/done');
  });

  test('the header’s logout asks nothing twice and ends on the one logged-out page', async () => {
    const browser = new Browser(t.fastify);
    assert.equal((await login(browser, username)).statusCode, 303);
    await tokensFor(browser, 'first');
    const token = browser.cookies.get(t.app.cookies.session);
    const _csrf = await browser.csrf('/');
    const out = await browser.post('/logout', { _csrf });
    assert.equal(out.statusCode, 303);
    assert.equal(out.headers.location, '/oidc/session/end', 'through the provider, so services hear of it');
    const going = await browser.get('/oidc/session/end');
    assert.equal(going.statusCode, 200);
    assert.doesNotMatch(going.body, /Ja, abmelden/, 'no second question');
    assert.match(going.body, /<form method="post" action="[^"]+" data-saml-post>/);
    assert.match(going.body, /<input type="hidden" name="logout" value="yes">/);
    const action = new URL(/<form method="post" action="([^"]+)"/.exec(going.body)?.[1] ?? '', 'http://localhost:3000');
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(going.body)?.[1] ?? '';
    const confirmed = await browser.post(action.pathname, { xsrf, logout: 'yes' });
    assert.equal(confirmed.statusCode, 303);
    const done = await followRedirects(browser, String(confirmed.headers.location));
    assert.equal(done.finalUrl, '/logout/done');
    assert.match(done.body, /Sie sind jetzt abgemeldet/);
    assert.match(
      done.body,
      /<a class="kern-link" href="\/login">Anmelden<\/a>/,
      'the header shows the citizen logged out',
    );
    assert.equal(await t.app.sessions.resume(token), undefined);
  });
});
