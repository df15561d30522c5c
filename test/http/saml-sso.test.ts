import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { attributeRepository } from '../../src/identity/attribute-repository.ts';
import { Browser, buildTestApp, followRedirects, login, registerVerified, type TestApp } from '../helpers/test-app.ts';
import {
  createServiceProvider,
  postedFields,
  registerServiceProvider,
  type TestServiceProvider,
} from '../helpers/saml-sp.ts';
import { formFields, walkSamlLogin } from '../helpers/saml-browser.ts';
import { xmlsecDecrypt, xmlsecVerify } from '../helpers/xmlsec.ts';

const urn = {
  givenName: 'urn:oid:2.5.4.42',
  familyName: 'urn:oid:2.5.4.4',
  gender: 'urn:oid:1.3.6.1.4.1.33592.1.3.5',
  bpk2: 'urn:oid:1.3.6.1.4.1.25484.494450.3',
  mfa: 'urn:oid:1.3.6.1.4.1.25484.494450.7',
};

/** The AKDB extension as BundID services send it (PROFILES.md §1), in node-saml's extension format. */
function akdb(
  o: {
    attributes?: { name: string; required?: boolean }[];
    methods?: Record<string, boolean>;
    display?: Record<string, string>;
  } = {},
) {
  return {
    'akdb:AuthenticationRequest': {
      '@xmlns:akdb': 'https://www.akdb.de/request/2018/09',
      '@Version': '2',
      'akdb:AuthnMethods': Object.fromEntries(
        Object.entries(o.methods ?? { Benutzername: true, eID: true }).map(([name, enabled]) => [
          `akdb:${name}`,
          { 'akdb:Enabled': String(enabled) },
        ]),
      ),
      'akdb:RequestedAttributes': {
        'akdb:RequestedAttribute': (o.attributes ?? [{ name: urn.givenName, required: true }, { name: urn.bpk2 }]).map(
          (a) => ({ '@Name': a.name, ...(a.required ? { '@RequiredAttribute': 'true' } : {}) }),
        ),
      },
      'akdb:DisplayInformation': {
        'classic-ui:Version': {
          '@xmlns:classic-ui': 'https://www.akdb.de/request/2018/09/classic-ui/v1',
          ...Object.fromEntries(
            Object.entries(
              o.display ?? {
                OrganizationDisplayName: 'Stadt Musterstadt – Wohngeld',
                Lang: 'de',
                BackURL: 'https://service.example/back',
                OnlineServiceId: 'WOHNGELD-4711',
              },
            ).map(([k, v]) => [`classic-ui:${k}`, v]),
          ),
        },
      },
    },
  };
}

/**
 * SAML Web Browser SSO against a real SP library (@node-saml/node-saml): the
 * SP signs its AuthnRequest; our Response comes back by POST; the SP verifies
 * both signatures, decrypts the assertion and reads the attributes. xmlsec1
 * checks the same Response independently.
 */
describe('SAML single sign-on with a node-saml service provider', () => {
  let t: TestApp;
  let provider: TestServiceProvider;
  let accountId = '';
  before(async () => {
    t = await buildTestApp();
    provider = await createServiceProvider(t.app);
    await registerServiceProvider(t.app, provider);
    await registerVerified(t, new Browser(t.fastify), 'erika.m', 'erika@example.org');
    accountId = (await t.app.accounts.byLogin('erika.m'))?.id ?? '';
    await attributeRepository(t.app.db).setVerified(
      accountId,
      { given_name: 'Erika', family_name: 'Mustermann', birthdate: '1964-08-12' },
      { source: 'clerk', level: 4, at: t.clock.now(), evidence: { document: 'idcard', clerk: 'Meier' } },
    );
  });
  after(() => t.close());

  const visit = async (browser: Browser, url: string) => {
    const parsed = new URL(url);
    return followRedirects(browser, `${parsed.pathname}${parsed.search}`);
  };
  /** The SP's POST-binding form, submitted by the browser to our SSO endpoint. */
  const postForm = async (browser: Browser, sp: TestServiceProvider, options: Record<string, unknown> = {}) => {
    const form = await sp.sp.getAuthorizeFormAsync('relay-post', undefined, options as never);
    const page = await browser.post('/saml/sso', formFields(form));
    return page.statusCode === 303
      ? followRedirects(browser, String(page.headers.location))
      : Object.assign(page, { finalUrl: '/saml/sso' });
  };

  test('HTTP-Redirect: the SP validates, decrypts and reads the attributes; xmlsec1 verifies both signatures', async () => {
    const browser = new Browser(t.fastify);
    const done = await walkSamlLogin(
      browser,
      await visit(browser, await provider.sp.getAuthorizeUrlAsync('r1', undefined, {})),
    );
    const fields = postedFields(done.body);
    assert.equal(fields.action, provider.acs);
    assert.equal(fields.RelayState, 'r1');
    // The page carries the message and little else: no site layout with its inlined styles (issue 16).
    assert.ok(done.body.length < fields.SAMLResponse.length + 2000, `page of ${done.body.length} characters`);
    assert.doesNotMatch(done.body, /<style/);
    const { profile } = await provider.sp.validatePostResponseAsync({ SAMLResponse: fields.SAMLResponse });
    assert.ok(profile);
    assert.equal(profile.nameIDFormat, 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient');
    assert.equal(profile[urn.givenName], 'Erika');
    assert.equal(String(profile[urn.bpk2]).length, 43);
    assert.ok(profile.sessionIndex);
    // Independent check: xmlsec1 verifies the Response, decrypts the assertion and verifies it too.
    const xml = Buffer.from(fields.SAMLResponse, 'base64').toString('utf8');
    const idpCert = (await t.app.saml.keys()).signingKey('RSA-3072', t.clock.now()).certificatePem;
    await xmlsecVerify(xml, idpCert, 'Response');
    const decrypted = await xmlsecDecrypt(xml, provider.encryption.privateKeyPem);
    await xmlsecVerify(decrypted, idpCert, 'Assertion');
    assert.match(
      decrypted,
      /<saml:AuthnContextClassRef>STORK-QAA-Level-2<\/saml:AuthnContextClassRef>/,
      'password on clerk-checked data: level 2',
    );
    assert.match(decrypted, /akdb:TrustLevel="NORMAL"/);
  });

  test('HTTP-POST with the AKDB extension: display name on the pages, persistent NameID = bPK2, OnlineServiceId kept with the consent', async () => {
    const sp = await createServiceProvider(t.app, {
      entityId: 'https://wohngeld.example/saml',
      identifierFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
      samlAuthnRequestExtensions: akdb(),
    } as never);
    await registerServiceProvider(t.app, sp);
    const browser = new Browser(t.fastify);
    const first = await postForm(browser, sp);
    assert.match(first.body, /Stadt Musterstadt – Wohngeld/);
    const done = await walkSamlLogin(browser, first);
    const { profile } = await sp.sp.validatePostResponseAsync({ SAMLResponse: postedFields(done.body).SAMLResponse });
    assert.equal(profile?.nameIDFormat, 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent');
    assert.equal(profile?.nameID, profile?.[urn.bpk2]);
    assert.equal(profile?.[urn.familyName], undefined, 'only requested attributes are released');
    const consent = await t.app.db.query<{ context: { onlineServiceId?: string } }>(
      'SELECT context FROM consents WHERE service_id = $1',
      ['https://wohngeld.example/saml'],
    );
    assert.equal(consent.rows[0]?.context.onlineServiceId, 'WOHNGELD-4711');
  });

  test('one SSO session with OIDC: a logged-in citizen is not asked again at the same level', async () => {
    const browser = new Browser(t.fastify);
    await login(browser, 'erika.m');
    const pendingCount = async () =>
      Number((await t.app.db.query<{ n: string }>('SELECT count(*) AS n FROM saml_pending_logins')).rows[0]?.n);
    const before = await pendingCount();
    const page = await visit(browser, await provider.sp.getAuthorizeUrlAsync('r2', undefined, {}));
    assert.equal(await pendingCount(), before, 'answered at once: no pending login was stored');
    assert.match(page.body, /name="SAMLResponse"/, 'straight back to the service: consent was given before');
    assert.match(
      page.finalUrl,
      /^\/saml\/sso\?/,
      'answered at the SSO endpoint itself, without the hop to /saml/login/<uid>',
    );
    // node-saml sets ForceAuthn from its configuration only, so a second service provider asks for it.
    const forcing = await createServiceProvider(t.app, {
      entityId: 'https://forcing.example/saml',
      forceAuthn: true,
    } as never);
    await registerServiceProvider(t.app, forcing);
    t.clock.advance(1000);
    const forced = await visit(browser, await forcing.sp.getAuthorizeUrlAsync('r3', undefined, {}));
    assert.match(forced.finalUrl, /^\/saml\/login\/s_[^/]+$/);
    assert.match(forced.body, /name="_csrf"/);
    assert.doesNotMatch(forced.body, /name="SAMLResponse"/, 'ForceAuthn asks for a login again');
    assert.match(forced.body, /href="\/saml\/login\/s_[^/"]+\/password"/);
  });

  test('the page that posts the Response is not compressed, whatever the browser accepts (it is mostly ciphertext)', async () => {
    const browser = new Browser(t.fastify);
    await login(browser, 'erika.m');
    const url = new URL(await provider.sp.getAuthorizeUrlAsync('r-plain', undefined, {}));
    const page = await browser.get(`${url.pathname}${url.search}`, { 'accept-encoding': 'br, gzip' });
    assert.equal(page.statusCode, 200);
    assert.equal(page.headers['content-encoding'], undefined);
    const { profile } = await provider.sp.validatePostResponseAsync({
      SAMLResponse: postedFields(page.body).SAMLResponse,
    });
    assert.ok(profile);
    // Other pages still come compressed to the same browser.
    const account = await browser.get('/account', { 'accept-encoding': 'br, gzip' });
    assert.equal(account.headers['content-encoding'], 'br');
  });

  test('STORK-QAA-Level-3 on a password session triggers step-up', async () => {
    const sp = await createServiceProvider(t.app, {
      entityId: 'https://steuer.example/saml',
      authnContext: ['STORK-QAA-Level-3'],
    } as never);
    await registerServiceProvider(t.app, sp);
    const browser = new Browser(t.fastify);
    await login(browser, 'erika.m');
    const page = await visit(browser, await sp.sp.getAuthorizeUrlAsync('r', undefined, {}));
    assert.match(page.finalUrl, /^\/saml\/login\/s_[^/]+\/totp\/setup$/);
  });

  test('a required attribute the citizen lacks is answered RequestDenied', async () => {
    const sp = await createServiceProvider(t.app, {
      entityId: 'https://kfz.example/saml',
      samlAuthnRequestExtensions: akdb({ attributes: [{ name: urn.gender, required: true }] }),
    } as never);
    await registerServiceProvider(t.app, sp);
    const browser = new Browser(t.fastify);
    await login(browser, 'erika.m');
    const done = await walkSamlLogin(browser, await postForm(browser, sp));
    const response = postedFields(done.body).SAMLResponse;
    await assert.rejects(
      sp.sp.validatePostResponseAsync({ SAMLResponse: response }),
      /required-attribute-missing:urn:oid:1.3.6.1.4.1.33592.1.3.5/,
    );
    const xml = Buffer.from(response, 'base64').toString('utf8');
    assert.match(
      xml,
      /<samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Responder"><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:RequestDenied"\/>/,
    );
    assert.doesNotMatch(xml, /Assertion/, 'no assertion goes with a refusal');
  });

  test('AKDB rules: AuthnMethods, empty RequestedAttributes, missing display name, Lang, BackURL', async () => {
    const answerOf = async (extension: ReturnType<typeof akdb>, entityId: string, loggedIn = true) => {
      const sp = await createServiceProvider(t.app, { entityId, samlAuthnRequestExtensions: extension } as never);
      await registerServiceProvider(t.app, sp);
      const browser = new Browser(t.fastify);
      if (loggedIn) await login(browser, 'erika.m');
      return { browser, page: await postForm(browser, sp) };
    };
    const statusOf = (body: string) => Buffer.from(postedFields(body).SAMLResponse, 'base64').toString('utf8');
    // Only methods we do not have: AuthnFailed with BundID's message.
    const elsterOnly = await answerOf(
      akdb({ methods: { Benutzername: false, eID: false, Elster: true } }),
      'https://elster-only.example/saml',
    );
    assert.match(statusOf(elsterOnly.page.body), /status:AuthnFailed"\/>[\s\S]*no-allowed-authn-method/);
    // eID only: the password session does not count, and the choice offers the eID alone.
    const eidOnly = await answerOf(
      akdb({ methods: { Benutzername: false, eID: true } }),
      'https://eid-only.example/saml',
    );
    assert.match(eidOnly.page.body, /href="\/saml\/login\/[^"]+\/eid"/);
    assert.doesNotMatch(eidOnly.page.body, /\/password"/);
    // Nor through the consent form: its page and its POST go back to the choice instead of answering.
    const eidBase = /^\/saml\/login\/s_[^/]+/.exec(eidOnly.page.finalUrl)?.[0] ?? '';
    const consentPage = await eidOnly.browser.get(`${eidBase}/consent`);
    const consentPost = await eidOnly.browser.post(`${eidBase}/consent`, {
      _csrf:
        /name="_csrf" value="([^"]+)"/.exec(consentPage.body)?.[1] ??
        /name="_csrf" value="([^"]+)"/.exec(eidOnly.page.body)?.[1] ??
        '',
    });
    assert.equal(consentPost.statusCode, 303, consentPost.body.slice(0, 200));
    assert.equal(consentPost.headers.location, eidBase);
    assert.doesNotMatch(consentPost.body, /SAMLResponse/);
    const empty = await answerOf(akdb({ attributes: [] }), 'https://empty.example/saml');
    assert.match(statusOf(empty.page.body), /requested-attributes-empty/);
    const nameless = await answerOf(akdb({ display: { Lang: 'de' } }), 'https://nameless.example/saml');
    assert.match(statusOf(nameless.page.body), /organization-display-name-missing/);
    // Lang=en: the pages of this login are English; a BackURL on the service's host is the cancel target.
    const english = await answerOf(
      akdb({
        display: { OrganizationDisplayName: 'City of Example', Lang: 'en', BackURL: 'https://english.example/back' },
      }),
      'https://english.example/saml',
      false,
    );
    assert.match(english.page.body, /<html lang="en">/);
    assert.match(english.page.body, /City of Example/);
    const abort = /action="(\/saml\/login\/[^"]+\/abort)"/.exec(english.page.body)?.[1] ?? '';
    const cancelled = await english.browser.post(abort, {
      _csrf: /name="_csrf" value="([^"]+)"/.exec(english.page.body)?.[1] ?? '',
    });
    assert.equal(cancelled.headers.location, 'https://english.example/back');
    // A BackURL on another host is ignored: cancelling answers the service with AuthnFailed instead.
    const foreign = await answerOf(
      akdb({ display: { OrganizationDisplayName: 'X', BackURL: 'https://evil.example/phish' } }),
      'https://backurl.example/saml',
      false,
    );
    const foreignAbort = /action="(\/saml\/login\/[^"]+\/abort)"/.exec(foreign.page.body)?.[1] ?? '';
    const answered = await foreign.browser.post(foreignAbort, {
      _csrf: /name="_csrf" value="([^"]+)"/.exec(foreign.page.body)?.[1] ?? '',
    });
    assert.equal(answered.statusCode, 200);
    assert.match(statusOf(answered.body), /status:AuthnFailed/);
    assert.doesNotMatch(answered.body, /evil\.example/);
  });

  test('ForceAuthn cannot be skipped through the consent form, and AKDB never widens the registered attributes', async () => {
    const browser = new Browser(t.fastify);
    await login(browser, 'erika.m');
    // The login lies before the request: ForceAuthn wants a newer one.
    t.clock.advance(1000);
    const forcing = await createServiceProvider(t.app, {
      entityId: 'https://forcing2.example/saml',
      forceAuthn: true,
    } as never);
    await registerServiceProvider(t.app, forcing);
    const forced = await visit(browser, await forcing.sp.getAuthorizeUrlAsync('f', undefined, {}));
    assert.match(forced.finalUrl, /^\/saml\/login\/s_[^/]+$/);
    assert.doesNotMatch(forced.body, /name="SAMLResponse"/);
    const skip = await browser.post(`${forced.finalUrl}/consent`, {
      _csrf: /name="_csrf" value="([^"]+)"/.exec(forced.body)?.[1] ?? '',
    });
    assert.equal(skip.statusCode, 303, /<code>([^<]+)<\/code>/.exec(skip.body)?.[1]);
    assert.equal(skip.headers.location, forced.finalUrl, 'back to the login page, no Response');
    // Registered for given name, family name and bPK2: an AKDB request for the e-mail gets none; a required one is
    // refused.
    const greedy = await createServiceProvider(t.app, {
      entityId: 'https://greedy.example/saml',
      samlAuthnRequestExtensions: akdb({
        attributes: [{ name: urn.givenName }, { name: 'urn:oid:0.9.2342.19200300.100.1.3' }],
      }),
    } as never);
    await registerServiceProvider(t.app, greedy);
    const page = await walkSamlLogin(browser, await postForm(browser, greedy));
    const { profile } = await greedy.sp.validatePostResponseAsync({
      SAMLResponse: postedFields(page.body).SAMLResponse,
    });
    assert.equal(profile?.[urn.givenName], 'Erika');
    assert.equal(profile?.['urn:oid:0.9.2342.19200300.100.1.3'], undefined, 'not registered for the e-mail');
    const demanding = await createServiceProvider(t.app, {
      entityId: 'https://demanding.example/saml',
      samlAuthnRequestExtensions: akdb({ attributes: [{ name: 'urn:oid:0.9.2342.19200300.100.1.3', required: true }] }),
    } as never);
    await registerServiceProvider(t.app, demanding);
    const refused = await postForm(browser, demanding);
    assert.match(
      Buffer.from(postedFields(refused.body).SAMLResponse, 'base64').toString('utf8'),
      /RequestDenied[\s\S]*required-attribute-missing:urn:oid:0.9.2342.19200300.100.1.3/,
    );
  });

  test('IsPassive without a session is answered NoPassive at once', async () => {
    const sp = await createServiceProvider(t.app, { entityId: 'https://passive.example/saml', passive: true } as never);
    await registerServiceProvider(t.app, sp);
    const browser = new Browser(t.fastify);
    const page = await visit(browser, await sp.sp.getAuthorizeUrlAsync('r', undefined, {}));
    const xml = Buffer.from(postedFields(page.body).SAMLResponse, 'base64').toString('utf8');
    assert.match(xml, /status:NoPassive/);
    // node-saml reads NoPassive to a passive request as "nobody logged in", not as an error.
    const result = await sp.sp.validatePostResponseAsync({ SAMLResponse: postedFields(page.body).SAMLResponse });
    assert.equal(result.profile, null);
  });

  test('a request answered at once from the session is seen once too: its replay gets the error page', async () => {
    const browser = new Browser(t.fastify);
    await login(browser, 'erika.m');
    const url = new URL(await provider.sp.getAuthorizeUrlAsync('r-once', undefined, {}));
    const seen = async () =>
      Number(
        (
          await t.app.db.query<{ n: string }>('SELECT count(*) AS n FROM saml_seen_ids WHERE service_id = $1', [
            provider.entityId,
          ])
        ).rows[0]?.n,
      );
    const before = await seen();
    const first = await browser.get(`${url.pathname}${url.search}`);
    assert.equal(first.statusCode, 200);
    assert.match(first.body, /name="SAMLResponse"/);
    assert.equal(await seen(), before + 1, 'recorded with the answer');
    const participations = async () =>
      Number((await t.app.db.query<{ n: string }>('SELECT count(*) AS n FROM session_participations')).rows[0]?.n);
    const answered = await participations();
    const replay = await browser.get(`${url.pathname}${url.search}`);
    assert.equal(replay.statusCode, 400);
    assert.match(replay.body, /saml-request-replayed/);
    assert.doesNotMatch(replay.body, /name="SAMLResponse"/);
    assert.equal(await participations(), answered, 'nothing of the refused answer is recorded');
  });

  test('hostile requests end on an error page, never at the ACS', async () => {
    const browser = new Browser(t.fastify);
    // The same signed request twice: the second is a replay.
    const url = new URL(await provider.sp.getAuthorizeUrlAsync('r', undefined, {}));
    assert.equal((await browser.get(`${url.pathname}${url.search}`)).statusCode, 303);
    const replay = await browser.get(`${url.pathname}${url.search}`);
    assert.equal(replay.statusCode, 400);
    assert.match(replay.body, /saml-request-replayed/);
    // A changed byte in the signed query.
    const tampered = await browser.get(`${url.pathname}${url.search.replace('RelayState=r', 'RelayState=x')}`);
    assert.equal(tampered.statusCode, 400);
    // An unregistered issuer.
    const stranger = await createServiceProvider(t.app, { entityId: 'https://stranger.example/saml' } as never);
    const unknown = new URL(await stranger.sp.getAuthorizeUrlAsync('r', undefined, {}));
    const refused = await browser.get(`${unknown.pathname}${unknown.search}`);
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /issuer-unknown/);
    // Garbage and a DTD.
    assert.equal((await browser.get('/saml/sso?SAMLRequest=%%%')).statusCode, 400);
    const dtd = Buffer.from('<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>').toString('base64');
    assert.equal((await browser.post('/saml/sso', { SAMLRequest: dtd })).statusCode, 400);
  });
});
