import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { inflateRawSync } from 'node:zlib';
import { ValidateInResponseTo, type Profile } from '@node-saml/node-saml';
import { Browser, buildTestApp, followRedirects, registerVerified, type TestApp } from '../helpers/test-app.ts';
import {
  createServiceProvider,
  postedFields,
  registerServiceProvider,
  type TestServiceProvider,
} from '../helpers/saml-sp.ts';
import { walkSamlLogin } from '../helpers/saml-browser.ts';

/**
 * Unsigned logout messages (saml-profiles §4.4.4.1, §4.4.4.2: signed "or
 * using a binding-specific mechanism"), as pysaml2, SimpleSAMLphp and
 * OneLogin send them by default over HTTP-Redirect: taken from a service that
 * does not sign only when bound to the browser's own session or logout;
 * everything else unsigned is refused as before.
 */
describe('SAML single logout with unsigned messages', () => {
  let t: TestApp;
  /** Does not sign (AuthnRequestsSigned absent in what we registered); its logout endpoint takes HTTP-Redirect. */
  let plain: TestServiceProvider;
  /** Signs its requests (AuthnRequestsSigned="true"), so its logout messages must be signed. */
  let signing: TestServiceProvider;
  let accountId = '';
  const sloRedirect = 'https://service.example/saml/slo-redirect';
  before(async () => {
    t = await buildTestApp();
    plain = await createServiceProvider(t.app, {
      entityId: 'https://plain.example/saml',
      validateInResponseTo: ValidateInResponseTo.ifPresent,
    });
    signing = await createServiceProvider(t.app, {
      entityId: 'https://signing.example/saml',
      validateInResponseTo: ValidateInResponseTo.ifPresent,
    });
    await registerServiceProvider(t.app, plain, {
      authnRequestsSigned: false,
      singleLogout: [{ binding: 'redirect', url: sloRedirect, responseUrl: undefined }],
    });
    await registerServiceProvider(t.app, signing, {
      singleLogout: [{ binding: 'redirect', url: sloRedirect, responseUrl: undefined }],
    });
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
  /** The same HTTP-Redirect message without its query signature, as the stock stacks send it. */
  const withoutSignature = (url: string) => {
    const parsed = new URL(url, 'http://localhost:3000');
    const kept = new URLSearchParams();
    for (const name of ['SAMLRequest', 'SAMLResponse', 'RelayState']) {
      const value = parsed.searchParams.get(name);
      if (value !== null) kept.set(name, value);
    }
    return `${parsed.pathname}?${kept}`;
  };
  const refusedUnsigned = (response: { statusCode: number; body: string }) => {
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /saml-logout-not-signed/);
  };

  async function loginTo(browser: Browser, sp: TestServiceProvider): Promise<Profile> {
    const done = await walkSamlLogin(
      browser,
      await followRedirects(browser, local(await sp.sp.getAuthorizeUrlAsync('in', undefined, {}))),
    );
    const { profile } = await sp.sp.validatePostResponseAsync({ SAMLResponse: postedFields(done.body).SAMLResponse });
    assert.ok(profile);
    return profile;
  }

  /** Our logout page sends this browser to the service with our LogoutRequest; answers what the service read. */
  async function ourLogoutReaches(browser: Browser, sp: TestServiceProvider): Promise<Profile> {
    const _csrf = await browser.csrf('/account');
    const posted = await browser.post('/logout', { _csrf });
    const next = await browser.get(String(posted.headers.location));
    const location = new URL(String(next.headers.location));
    assert.equal(`${location.origin}${location.pathname}`, sloRedirect);
    const { profile, loggedOut } = await sp.sp.validateRedirectAsync(
      Object.fromEntries(location.searchParams),
      location.search.slice(1),
    );
    assert.equal(loggedOut, true);
    assert.ok(profile);
    return profile;
  }

  test('an unsigned LogoutRequest from a service that does not sign, bound to this browser, ends the session', async () => {
    const browser = new Browser(t.fastify);
    const profile = await loginTo(browser, plain);
    const url = withoutSignature(await plain.sp.getLogoutUrlAsync(profile, 'bye', {}));
    const answer = await followRedirects(browser, url);
    assert.equal(answer.statusCode, 303);
    const back = new URL(answer.finalUrl);
    assert.equal(`${back.origin}${back.pathname}`, sloRedirect);
    assert.equal(back.searchParams.get('RelayState'), 'bye');
    assert.ok(back.searchParams.get('Signature'), 'our answer is signed');
    const result = await plain.sp.validateRedirectAsync(Object.fromEntries(back.searchParams), back.search.slice(1));
    assert.equal(result.loggedOut, true);
    assert.equal(await liveSessions(), 0);
    assert.equal(browser.cookies.has('sk_session'), false);
  });

  test('an unsigned LogoutRequest naming another NameID or SessionIndex, or without our session cookie, is refused', async () => {
    const browser = new Browser(t.fastify);
    const profile = await loginTo(browser, plain);
    refusedUnsigned(
      await browser.get(
        withoutSignature(await plain.sp.getLogoutUrlAsync({ ...profile, nameID: 'someone-else' }, 'x', {})),
      ),
    );
    refusedUnsigned(
      await browser.get(
        withoutSignature(await plain.sp.getLogoutUrlAsync({ ...profile, sessionIndex: '_another-session' }, 'x', {})),
      ),
    );
    // The right NameID and SessionIndex, from a browser without the session (a page of another site, another browser).
    refusedUnsigned(
      await new Browser(t.fastify).get(withoutSignature(await plain.sp.getLogoutUrlAsync(profile, 'x', {}))),
    );
    assert.equal(await liveSessions(), 1, 'nothing ended');
    // Signed, the same request is taken from anywhere, as before.
    const signed = await followRedirects(
      new Browser(t.fastify),
      local(await plain.sp.getLogoutUrlAsync(profile, 'x', {})),
    );
    assert.equal(signed.statusCode, 303);
    assert.equal(await liveSessions(), 0);
  });

  test('an unsigned LogoutRequest from a service that signs is refused, even from its own browser', async () => {
    const browser = new Browser(t.fastify);
    const profile = await loginTo(browser, signing);
    refusedUnsigned(await browser.get(withoutSignature(await signing.sp.getLogoutUrlAsync(profile, 'x', {}))));
    assert.equal(await liveSessions(), 1);
    await followRedirects(browser, local(await signing.sp.getLogoutUrlAsync(profile, 'x', {})));
    assert.equal(await liveSessions(), 0);
  });

  test('an unsigned LogoutResponse to the LogoutRequest this browser carried continues the logout to its end', async () => {
    const browser = new Browser(t.fastify);
    await loginTo(browser, plain);
    const profile = await ourLogoutReaches(browser, plain);
    const done = await followRedirects(
      browser,
      withoutSignature(await plain.sp.getLogoutResponseUrlAsync(profile, '', {}, true)),
    );
    assert.equal(done.finalUrl, '/logout/done');
    assert.equal(await liveSessions(), 0);
  });

  test('an unsigned LogoutResponse with a foreign InResponseTo, from another browser, or from a service that signs is refused', async () => {
    const browser = new Browser(t.fastify);
    await loginTo(browser, plain);
    const profile = await ourLogoutReaches(browser, plain);
    const answer = await plain.sp.getLogoutResponseUrlAsync(profile, '', {}, true);
    // Another InResponseTo: not the request we sent.
    refusedUnsigned(
      await browser.get(
        withoutSignature(
          await plain.sp.getLogoutResponseUrlAsync({ ...profile, ID: '_not-our-request' }, '', {}, true),
        ),
      ),
    );
    // The right one, from a browser that is not walking this logout.
    refusedUnsigned(await new Browser(t.fastify).get(withoutSignature(answer)));
    const flows = await t.app.db.query('SELECT 1 FROM saml_logout_flows WHERE current_request_id IS NOT NULL');
    assert.equal(flows.rowCount, 1, 'the logout still waits for the service');
    // A service that signs answers signed, or not at all.
    const other = new Browser(t.fastify);
    await loginTo(other, signing);
    const signingProfile = await ourLogoutReaches(other, signing);
    refusedUnsigned(
      await other.get(withoutSignature(await signing.sp.getLogoutResponseUrlAsync(signingProfile, '', {}, true))),
    );
    assert.equal(
      (await followRedirects(other, local(await signing.sp.getLogoutResponseUrlAsync(signingProfile, '', {}, true))))
        .finalUrl,
      '/logout/done',
    );
    // The right answer, unsigned, from the browser walking the logout.
    assert.equal((await followRedirects(browser, withoutSignature(answer))).finalUrl, '/logout/done');
    assert.doesNotMatch(
      inflateRawSync(Buffer.from(new URL(answer).searchParams.get('SAMLResponse') ?? '', 'base64')).toString(),
      /<ds:Signature/,
    );
  });
});
