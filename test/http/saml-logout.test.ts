import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { inflateRawSync } from 'node:zlib';
import { ValidateInResponseTo, type Profile } from '@node-saml/node-saml';
import {
  Browser,
  buildTestApp,
  followRedirects,
  registerVerified,
  type FollowedPage,
  type TestApp,
} from '../helpers/test-app.ts';
import {
  createServiceProvider,
  postedFields,
  registerServiceProvider,
  type TestServiceProvider,
} from '../helpers/saml-sp.ts';
import { walkSamlLogin } from '../helpers/saml-browser.ts';
import { xmlsecVerify } from '../helpers/xmlsec.ts';

/**
 * Single logout (saml-profiles §4.4) with two node-saml services in one SSO
 * session: started by a service over HTTP-Redirect, and from our logout
 * page; the other service is told by a signed LogoutRequest over HTTP-POST
 * and answers over HTTP-Redirect; the initiator gets a signed LogoutResponse.
 */
describe('SAML single logout', () => {
  let t: TestApp;
  let a: TestServiceProvider;
  let b: TestServiceProvider;
  let accountId = '';
  before(async () => {
    t = await buildTestApp();
    // node-saml looks for InResponseTo on a Response root only, so a POSTed LogoutResponse needs 'ifPresent';
    // our login Responses always carry it and are still checked.
    a = await createServiceProvider(t.app, {
      entityId: 'https://a.example/saml',
      validateInResponseTo: ValidateInResponseTo.ifPresent,
    });
    b = await createServiceProvider(t.app, {
      entityId: 'https://b.example/saml',
      validateInResponseTo: ValidateInResponseTo.ifPresent,
    });
    await registerServiceProvider(t.app, a);
    await registerServiceProvider(t.app, b);
    await registerVerified(t, new Browser(t.fastify), 'erika.m', 'erika@example.org');
    accountId = (await t.app.accounts.byLogin('erika.m'))?.id ?? '';
  });
  after(() => t.close());

  const local = (url: string) => {
    const parsed = new URL(url);
    return `${parsed.pathname}${parsed.search}`;
  };
  const liveSessions = async () =>
    (
      await t.app.db.query<{ n: number }>('SELECT count(*)::int AS n FROM sso_sessions WHERE account_id = $1', [
        accountId,
      ])
    ).rows[0]?.n ?? 0;

  /** Logs the browser in to a service and returns the profile node-saml read from our Response. */
  async function loginTo(browser: Browser, sp: TestServiceProvider): Promise<Profile> {
    const done = await walkSamlLogin(
      browser,
      await followRedirects(browser, local(await sp.sp.getAuthorizeUrlAsync('in', undefined, {}))),
    );
    const { profile } = await sp.sp.validatePostResponseAsync({ SAMLResponse: postedFields(done.body).SAMLResponse });
    assert.ok(profile);
    return profile;
  }

  /** The other service receives our LogoutRequest by POST, checks it, and answers by redirect as node-saml does. */
  async function otherServiceAnswers(
    browser: Browser,
    page: FollowedPage,
    sp: TestServiceProvider,
  ): Promise<FollowedPage> {
    const posted = postedFields(page.body);
    assert.equal(posted.action, 'https://service.example/saml/slo');
    const idpCert = (await t.app.saml.keys()).signingKey('RSA-3072', t.clock.now()).certificatePem;
    await xmlsecVerify(Buffer.from(posted.SAMLResponse, 'base64').toString('utf8'), idpCert, 'LogoutRequest');
    const { profile, loggedOut } = await sp.sp.validatePostRequestAsync({ SAMLRequest: posted.SAMLResponse });
    assert.equal(loggedOut, true);
    assert.ok(profile);
    return followRedirects(browser, local(await sp.sp.getLogoutResponseUrlAsync(profile, '', {}, true)));
  }

  test('started by a service: the other one is told, the initiator gets a signed LogoutResponse, the session is gone', async () => {
    const browser = new Browser(t.fastify);
    const profileA = await loginTo(browser, a);
    await loginTo(browser, b);
    assert.equal(await liveSessions(), 1);
    const toB = await followRedirects(browser, local(await a.sp.getLogoutUrlAsync(profileA, 'bye', {})));
    assert.equal(await liveSessions(), 0, 'the SSO session ends at once');
    const back = await otherServiceAnswers(browser, toB, b);
    const answer = postedFields(back.body);
    assert.equal(answer.RelayState, 'bye');
    const idpCert = (await t.app.saml.keys()).signingKey('RSA-3072', t.clock.now()).certificatePem;
    await xmlsecVerify(Buffer.from(answer.SAMLResponse, 'base64').toString('utf8'), idpCert, 'LogoutResponse');
    const result = await a.sp.validatePostResponseAsync({ SAMLResponse: answer.SAMLResponse });
    assert.equal(result.loggedOut, true);
    assert.match(Buffer.from(answer.SAMLResponse, 'base64').toString('utf8'), /InResponseTo="[^"]+"/);
    const left = await t.app.db.query(
      'SELECT 1 FROM session_participations WHERE account_id = $1 AND ended_at IS NULL',
      [accountId],
    );
    assert.equal(left.rowCount, 0);
    assert.equal(browser.cookies.has('sk_session'), false);
  });

  test('started on our logout page: every SAML service is told, then the logout page', async () => {
    const browser = new Browser(t.fastify);
    await loginTo(browser, a);
    const _csrf = await browser.csrf('/account');
    const posted = await browser.post('/logout', { _csrf });
    assert.equal(posted.statusCode, 303);
    const toA = await followRedirects(browser, String(posted.headers.location));
    const done = await otherServiceAnswers(browser, toA, a);
    assert.equal(done.finalUrl, '/logout/done');
    assert.match(done.body, /abgemeldet/);
    assert.equal(await liveSessions(), 0);
  });

  test('a logout through OpenID Connect also walks the SAML services of the session', async () => {
    await t.app.services.upsertOidc(
      {
        client_id: 'oidc-service',
        client_secret: 'a-client-secret-of-sufficient-length-123',
        client_name: 'OIDC-Dienst',
        redirect_uris: ['https://oidc.example/cb'],
        token_endpoint_auth_method: 'client_secret_basic',
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
      'OIDC-Dienst',
    );
    const browser = new Browser(t.fastify);
    await loginTo(browser, a);
    // An OIDC login in the same browser: SSO, then consent, then back to the service.
    const query = new URLSearchParams({
      client_id: 'oidc-service',
      redirect_uri: 'https://oidc.example/cb',
      response_type: 'code',
      scope: 'openid',
      state: 's',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
    });
    const consent = await followRedirects(browser, `/oidc/auth?${query}`);
    const action = /action="(\/interaction\/[^"]+\/consent)"/.exec(consent.body)?.[1] ?? '';
    const granted = await browser.post(action, { _csrf: /name="_csrf" value="([^"]+)"/.exec(consent.body)?.[1] ?? '' });
    const callback = await followRedirects(
      browser,
      local(new URL(String(granted.headers.location), 'http://localhost:3000').href),
    );
    assert.match(callback.finalUrl, /^https:\/\/oidc\.example\/cb\?code=/);
    // Our logout page hands over to the provider's end-session confirmation, which then walks the SAML services.
    const _csrf = await browser.csrf('/account');
    const confirmPage = await followRedirects(
      browser,
      String((await browser.post('/logout', { _csrf })).headers.location),
    );
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(confirmPage.body)?.[1] ?? '';
    const confirmAction = /action="([^"]+)"/.exec(confirmPage.body)?.[1] ?? '';
    const confirmed = await browser.post(local(new URL(confirmAction, 'http://localhost:3000').href), {
      xsrf,
      logout: 'yes',
    });
    assert.match(String(confirmed.headers.location), /^\/saml\/logout\/next\//);
    const toA = await followRedirects(browser, String(confirmed.headers.location));
    const done = await otherServiceAnswers(browser, toA, a);
    assert.equal(done.finalUrl, '/logout/done', 'the one logged-out page, whichever way the logout went');
    assert.equal(await liveSessions(), 0);
  });

  test('a service with an HTTP-Redirect logout endpoint gets a query-signed LogoutRequest it verifies', async () => {
    const c = await createServiceProvider(t.app, {
      entityId: 'https://c.example/saml',
      validateInResponseTo: ValidateInResponseTo.ifPresent,
    });
    await registerServiceProvider(t.app, c, {
      singleLogout: [{ binding: 'redirect', url: 'https://service.example/saml/slo-redirect', responseUrl: undefined }],
    });
    const browser = new Browser(t.fastify);
    await loginTo(browser, c);
    const _csrf = await browser.csrf('/account');
    const posted = await browser.post('/logout', { _csrf });
    const next = await browser.get(String(posted.headers.location));
    const location = new URL(String(next.headers.location));
    assert.equal(`${location.origin}${location.pathname}`, 'https://service.example/saml/slo-redirect');
    assert.ok(location.searchParams.get('Signature'), 'the query is signed');
    const { profile, loggedOut } = await c.sp.validateRedirectAsync(
      Object.fromEntries(location.searchParams),
      location.search.slice(1),
    );
    assert.equal(loggedOut, true);
    assert.ok(profile);
    const done = await followRedirects(browser, local(await c.sp.getLogoutResponseUrlAsync(profile, '', {}, true)));
    assert.equal(done.finalUrl, '/logout/done');
  });

  test('a service that never answers makes the logout partial; a LogoutRequest without SessionIndex ends the session', async () => {
    const browser = new Browser(t.fastify);
    const profileA = await loginTo(browser, a);
    await loginTo(browser, b);
    const toB = await followRedirects(browser, local(await a.sp.getLogoutUrlAsync(profileA, 'bye', {})));
    assert.match(toB.body, /name="SAMLRequest"/, 'B is asked');
    // B never answers; the browser goes back and continues the chain.
    const flow = (await t.app.db.query<{ id: string }>('SELECT id FROM saml_logout_flows')).rows[0]?.id ?? '';
    const answer = await followRedirects(browser, `/saml/logout/next/${flow}`);
    const xml = Buffer.from(postedFields(answer.body).SAMLResponse, 'base64').toString('utf8');
    assert.match(xml, /status:Success"><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:PartialLogout"/);
    // Without SessionIndex (optional, saml-core §3.7.1): every session of that NameID at the service.
    const again = new Browser(t.fastify);
    const profile = await loginTo(again, a);
    assert.equal(await liveSessions(), 1);
    const { sessionIndex: _dropped, ...withoutIndex } = profile;
    const url = local(await a.sp.getLogoutUrlAsync(withoutIndex as Profile, 'x', {}));
    assert.doesNotMatch(
      Buffer.from(
        inflateRawSync(Buffer.from(new URL(url, 'http://x').searchParams.get('SAMLRequest') ?? '', 'base64')),
      ).toString(),
      /SessionIndex/,
    );
    await followRedirects(again, url);
    assert.equal(await liveSessions(), 0);
  });

  test('unsigned, foreign and replayed LogoutRequests are refused', async () => {
    const browser = new Browser(t.fastify);
    const profile = await loginTo(browser, a);
    // Unsigned: the same request without its query signature.
    const url = new URL(await a.sp.getLogoutUrlAsync(profile, 'x', {}));
    const unsigned = `${url.pathname}?SAMLRequest=${encodeURIComponent(url.searchParams.get('SAMLRequest') ?? '')}`;
    const refused = await browser.get(unsigned);
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /saml-logout-not-signed/);
    assert.equal(await liveSessions(), 1, 'nothing ended');
    // Another service's session index: nothing of ours to end.
    const stranger = await b.sp.getLogoutUrlAsync({ ...profile, issuer: b.entityId }, 'x', {});
    const unknown = await followRedirects(browser, local(stranger));
    assert.match(Buffer.from(postedFields(unknown.body).SAMLResponse, 'base64').toString('utf8'), /UnknownPrincipal/);
    assert.equal(await liveSessions(), 1);
    // The real one works once; the replay is refused.
    const real = local(await a.sp.getLogoutUrlAsync(profile, 'x', {}));
    assert.equal((await browser.get(real)).statusCode, 200);
    assert.equal(await liveSessions(), 0);
    const replay = await browser.get(real);
    assert.equal(replay.statusCode, 400);
    assert.match(replay.body, /saml-logout-replayed/);
  });
});
