import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generate } from 'otplib';
import { attributeRepository } from '../../src/identity/attribute-repository.ts';
import { Browser, buildTestApp, followRedirects, login, registerVerified, type TestApp } from '../helpers/test-app.ts';
import { createServiceProvider, postedFields, registerServiceProvider } from '../helpers/saml-sp.ts';
import { formFields, walkSamlLogin } from '../helpers/saml-browser.ts';
import { xmlsecDecrypt, xmlsecVerify } from '../helpers/xmlsec.ts';

/**
 * The rest of the BundID profile at the HTTP level: step-up to
 * STORK-QAA-Level-3 completed with a software token, the per-service
 * signature algorithms (RSASSA-PSS with node-saml, ECDSA checked by
 * xmlsec1), and requests that must end on an error page: signature wrapping,
 * a tampered signed request, an unsigned request with the AKDB extension, an
 * ACS that is not in the metadata.
 */
describe('SAML: step-up, algorithms per service, hostile requests', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
    await registerVerified(t, new Browser(t.fastify), 'erika.m', 'erika@example.org');
    const accountId = (await t.app.accounts.byLogin('erika.m'))?.id ?? '';
    await attributeRepository(t.app.db).setVerified(
      accountId,
      { given_name: 'Erika', family_name: 'Mustermann', birthdate: '1964-08-12' },
      { source: 'clerk', level: 4, at: t.clock.now(), evidence: { document: 'idcard', clerk: 'Meier' } },
    );
  });
  after(() => t.close());

  const local = (url: string) => {
    const parsed = new URL(url);
    return `${parsed.pathname}${parsed.search}`;
  };
  const csrfOf = (body: string) => /name="_csrf" value="([^"]+)"/.exec(body)?.[1] ?? '';
  /** The app set up in the first test: once an account has it, every login asks for it (issue 13, point 2). */
  let appSecret = '';
  const walkWithApp = async (browser: Browser, start: Awaited<ReturnType<typeof followRedirects>>) => {
    const page = await walkSamlLogin(browser, start);
    if (!/^\/saml\/login\/s_[^/]+\/totp$/.test(page.finalUrl)) return page;
    t.clock.advance(30_000);
    const confirmed = await browser.post(page.finalUrl, {
      _csrf: csrfOf(page.body),
      code: await generate({ secret: appSecret, epoch: Math.floor(t.clock.now().getTime() / 1000) }),
    });
    assert.equal(confirmed.statusCode, 303);
    return walkSamlLogin(browser, await followRedirects(browser, String(confirmed.headers.location)));
  };

  test('STORK-QAA-Level-3: the app is set up on the spot, and the service gets level 3 with mfa "true"', async () => {
    const sp = await createServiceProvider(t.app, {
      entityId: 'https://steuer.example/saml',
      authnContext: ['STORK-QAA-Level-3'],
    });
    await registerServiceProvider(t.app, sp, {
      attributes: ['urn:oid:2.5.4.42', 'urn:oid:1.3.6.1.4.1.25484.494450.7'],
    });
    const browser = new Browser(t.fastify);
    await login(browser, 'erika.m');
    const setup = await followRedirects(browser, local(await sp.sp.getAuthorizeUrlAsync('r', undefined, {})));
    assert.match(setup.finalUrl, /^\/saml\/login\/s_[^/]+\/totp\/setup$/);
    const secret = (/<code class="secret">([^<]+)<\/code>/.exec(setup.body)?.[1] ?? '').replace(/\s/g, '');
    appSecret = secret;
    const codes = await browser.post(setup.finalUrl, {
      _csrf: csrfOf(setup.body),
      code: await generate({ secret, epoch: Math.floor(t.clock.now().getTime() / 1000) }),
    });
    assert.equal(codes.statusCode, 200);
    const continueHref = /href="(\/saml\/login\/[^"]+\/continue)"/.exec(codes.body)?.[1] ?? '';
    const done = await walkSamlLogin(browser, await followRedirects(browser, continueHref));
    const fields = postedFields(done.body);
    const { profile } = await sp.sp.validatePostResponseAsync({ SAMLResponse: fields.SAMLResponse });
    assert.equal(profile?.['urn:oid:1.3.6.1.4.1.25484.494450.7'], 'true');
    const assertion = await xmlsecDecrypt(
      Buffer.from(fields.SAMLResponse, 'base64').toString('utf8'),
      sp.encryption.privateKeyPem,
    );
    assert.match(assertion, />STORK-QAA-Level-3</);
    assert.match(assertion, /akdb:TrustLevel="SUBSTANTIELL"/);
  });

  test('RSASSA-PSS for one service: node-saml verifies it', async () => {
    const sp = await createServiceProvider(t.app, { entityId: 'https://pss.example/saml' });
    await registerServiceProvider(t.app, sp, { signature: 'rsa-pss-sha256' });
    const browser = new Browser(t.fastify);
    const done = await walkWithApp(
      browser,
      await followRedirects(browser, local(await sp.sp.getAuthorizeUrlAsync('r', undefined, {}))),
    );
    const fields = postedFields(done.body);
    assert.match(Buffer.from(fields.SAMLResponse, 'base64').toString('utf8'), /xmldsig-more#sha256-rsa-MGF1/);
    const { profile } = await sp.sp.validatePostResponseAsync({ SAMLResponse: fields.SAMLResponse });
    assert.equal(profile?.['urn:oid:2.5.4.42'], 'Erika');
  });

  test('ECDSA P-256 for one service: xmlsec1 verifies Response and Assertion against our EC certificate', async () => {
    const sp = await createServiceProvider(t.app, { entityId: 'https://ecdsa.example/saml' });
    await registerServiceProvider(t.app, sp, { signature: 'ecdsa-sha256' });
    const browser = new Browser(t.fastify);
    const done = await walkWithApp(
      browser,
      await followRedirects(browser, local(await sp.sp.getAuthorizeUrlAsync('r', undefined, {}))),
    );
    const xml = Buffer.from(postedFields(done.body).SAMLResponse, 'base64').toString('utf8');
    const ecCert = (await t.app.saml.keys()).signingKey('EC-P256', t.clock.now()).certificatePem;
    assert.match(xml, /xmldsig-more#ecdsa-sha256/);
    await xmlsecVerify(xml, ecCert, 'Response');
    await xmlsecVerify(await xmlsecDecrypt(xml, sp.encryption.privateKeyPem), ecCert, 'Assertion');
  });

  test('signature wrapping, tampering, an unsigned AKDB request and a foreign ACS end on an error page', async () => {
    const akdb = {
      'akdb:AuthenticationRequest': {
        '@xmlns:akdb': 'https://www.akdb.de/request/2018/09',
        '@Version': '2',
        'akdb:RequestedAttributes': { 'akdb:RequestedAttribute': [{ '@Name': 'urn:oid:2.5.4.42' }] },
      },
    };
    const sp = await createServiceProvider(t.app, {
      entityId: 'https://wrap.example/saml',
      skipRequestCompression: true,
      samlAuthnRequestExtensions: akdb,
    });
    await registerServiceProvider(t.app, sp);
    const browser = new Browser(t.fastify);
    const signedXml = async () =>
      Buffer.from(formFields(await sp.sp.getAuthorizeFormAsync('r')).SAMLRequest ?? '', 'base64').toString('utf8');
    const post = (xml: string) => browser.post('/saml/sso', { SAMLRequest: Buffer.from(xml).toString('base64') });

    // XSW: an attacker root with its own ACS carries the signed original inside its Extensions.
    const original = await signedXml();
    const inner = original.replace(/^<\?xml[^>]*\?>/, '');
    const wrapped = `<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_evil" Version="2.0" IssueInstant="${t.clock.now().toISOString()}" AssertionConsumerServiceURL="https://evil.example/acs"><saml:Issuer>https://wrap.example/saml</saml:Issuer><samlp:Extensions>${inner}</samlp:Extensions></samlp:AuthnRequest>`;
    const xsw = await post(wrapped);
    assert.equal(xsw.statusCode, 400);
    assert.doesNotMatch(xsw.body, /evil\.example/);
    // A signed request whose ACS was changed afterwards.
    const tampered = await post(
      (await signedXml()).replace(
        'AssertionConsumerServiceURL="https://service.example/saml/acs"',
        'AssertionConsumerServiceURL="https://evil.example/acs"',
      ),
    );
    assert.equal(tampered.statusCode, 400);
    assert.match(tampered.body, /saml-request-signature-invalid/);
    // The AKDB extension without a signature (BundID's saml-request-not-signed).
    const unsigned = (await signedXml()).replace(
      /<Signature xmlns="http:\/\/www.w3.org\/2000\/09\/xmldsig#">[\s\S]*<\/Signature>/,
      '',
    );
    assert.doesNotMatch(unsigned, /SignatureValue/);
    const refused = await post(unsigned);
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /saml-request-not-signed/);
    // The genuine request still works, once.
    const genuine = await post(await signedXml());
    assert.equal(genuine.statusCode, 303);
    // An ACS that is not in the metadata, on an otherwise valid request.
    const foreign = await createServiceProvider(t.app, { entityId: 'https://acs.example/saml' });
    await registerServiceProvider(t.app, foreign, {
      acs: [{ url: 'https://acs.example/other', index: 1, isDefault: true }],
    });
    const page = await browser.get(local(await foreign.sp.getAuthorizeUrlAsync('r', undefined, {})));
    assert.equal(page.statusCode, 400);
    assert.match(page.body, /acs-not-in-metadata/);
  });

  test('the SSO endpoint is rate-limited per address before any XML is read', async () => {
    t.clock.advance(60_000);
    const statuses: number[] = [];
    for (let i = 0; i < 121; i++)
      statuses.push(
        (await t.fastify.inject({ method: 'GET', url: '/saml/sso', remoteAddress: '192.0.2.77' })).statusCode,
      );
    assert.ok(statuses.slice(0, 120).every((s) => s === 400));
    assert.equal(statuses[120], 429);
    assert.equal(
      (await t.fastify.inject({ method: 'GET', url: '/saml/sso', remoteAddress: '192.0.2.78' })).statusCode,
      400,
      'another address is not affected',
    );
  });
});
