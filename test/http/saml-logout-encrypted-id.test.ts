import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { encrypt } from 'xml-encryption';
import { signRootElement } from '../../src/saml/crypto/sign-element.ts';
import { signRedirectQuery } from '../../src/saml/crypto/sign-query.ts';
import { walkSamlLogin } from '../helpers/saml-browser.ts';
import {
  createServiceProvider,
  postedFields,
  registerServiceProvider,
  type TestServiceProvider,
} from '../helpers/saml-sp.ts';
import { Browser, buildTestApp, followRedirects, registerVerified, type TestApp } from '../helpers/test-app.ts';
import { xmlsecEncryptNameId } from '../helpers/xmlsec.ts';

const samlp = 'urn:oasis:names:tc:SAML:2.0:protocol';
const saml = 'urn:oasis:names:tc:SAML:2.0:assertion';
const transient = 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient';

type Encrypt = (
  content: string,
  options: Record<string, unknown>,
  callback: (error: Error | null, result: string) => void,
) => void;

/** xml-encryption as a service library uses it: the EncryptedKey inside EncryptedData's KeyInfo. */
function encryptWithLibrary(
  content: string,
  certificatePem: string,
  data: string,
  keyTransport = 'http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p',
): Promise<string> {
  return new Promise((resolve, reject) => {
    (encrypt as unknown as Encrypt)(
      content,
      {
        rsa_pub: certificatePem,
        pem: certificatePem,
        encryptionAlgorithm: data,
        keyEncryptionAlgorithm: keyTransport,
        keyEncryptionDigest: 'sha1',
        disallowEncryptionWithInsecureAlgorithm: false,
        warnInsecureAlgorithm: false,
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
}

/**
 * OpenSAML's other placement (saml-core §2.2.4): the EncryptedKey beside EncryptedData in the EncryptedID, found by a
 * RetrievalMethod.
 */
function keyBeside(encryptedData: string): string {
  const key = /<e:EncryptedKey[\s\S]*<\/e:EncryptedKey>/.exec(encryptedData)?.[0] ?? '';
  assert.ok(key, 'an inline EncryptedKey to move');
  const data = encryptedData.replace(
    key,
    '<ds:RetrievalMethod xmlns:ds="http://www.w3.org/2000/09/xmldsig#" Type="http://www.w3.org/2001/04/xmlenc#EncryptedKey" URI="#_key1"/>',
  );
  return `${data}${key.replace('<e:EncryptedKey', '<e:EncryptedKey xmlns="http://www.w3.org/2000/09/xmldsig#" Id="_key1"')}`;
}

/**
 * Issue 13, point 13: Shibboleth SP 3 encrypts the NameID of its
 * LogoutRequest to our encryption key from the metadata (EncryptedID,
 * saml-core §3.7.1). We decrypt it, end the session and answer Success.
 */
describe('SAML logout with an encrypted NameID', () => {
  let t: TestApp;
  let sp: TestServiceProvider;
  let accountId = '';
  before(async () => {
    t = await buildTestApp();
    sp = await createServiceProvider(t.app, { entityId: 'https://shib.example/saml' });
    await registerServiceProvider(t.app, sp);
    await registerVerified(t, new Browser(t.fastify), 'erika.m', 'erika@example.org');
    accountId = (await t.app.accounts.byLogin('erika.m'))?.id ?? '';
  });
  after(() => t.close());

  const local = (url: string) => `${new URL(url).pathname}${new URL(url).search}`;
  const liveSessions = async () =>
    (
      await t.app.db.query<{ n: number }>('SELECT count(*)::int AS n FROM sso_sessions WHERE account_id = $1', [
        accountId,
      ])
    ).rows[0]?.n ?? 0;
  const ourEncryptionCertificate = async () =>
    (await t.app.saml.keys()).published('encryption', t.clock.now())[0]?.certificatePem ?? '';

  /**
   * Each test logs in from a new browser; the tests before leave their sessions (or not): counted relative to this one.
   */
  async function loggedIn(): Promise<{ browser: Browser; nameId: string; sessionIndex: string; before: number }> {
    const browser = new Browser(t.fastify);
    const done = await walkSamlLogin(
      browser,
      await followRedirects(browser, local(await sp.sp.getAuthorizeUrlAsync('in', undefined, {}))),
    );
    const { profile } = await sp.sp.validatePostResponseAsync({ SAMLResponse: postedFields(done.body).SAMLResponse });
    assert.ok(profile?.sessionIndex);
    return { browser, nameId: profile.nameID, sessionIndex: profile.sessionIndex, before: await liveSessions() };
  }

  const logoutRequest = (encryptedId: string, sessionIndex: string, id: string) =>
    `<samlp:LogoutRequest xmlns:samlp="${samlp}" xmlns:saml="${saml}" ID="${id}" Version="2.0" IssueInstant="${t.clock.now().toISOString()}" Destination="${t.app.config.publicUrl}/saml/slo"><saml:Issuer>${sp.entityId}</saml:Issuer>${encryptedId}<samlp:SessionIndex>${sessionIndex}</samlp:SessionIndex></samlp:LogoutRequest>`;
  const nameIdXml = (nameId: string) =>
    `<saml:NameID xmlns:saml="${saml}" Format="${transient}">${nameId}</saml:NameID>`;

  /** Sends it over HTTP-Redirect, signed by the service; returns the decoded answer our page posts back. */
  async function sendRedirect(browser: Browser, xml: string) {
    const query = signRedirectQuery({ kind: 'SAMLRequest', xml, relayState: 'bye' }, sp.signing);
    return browser.get(`/saml/slo?${query}`);
  }

  const answerOf = (body: string) => Buffer.from(postedFields(body).SAMLResponse, 'base64').toString('utf8');

  test('xml-encryption, AES-256-CBC, RSA-OAEP, key inside KeyInfo, over HTTP-Redirect: the session ends and the service gets Success', async () => {
    const { browser, nameId, sessionIndex, before } = await loggedIn();
    const data = await encryptWithLibrary(
      nameIdXml(nameId),
      await ourEncryptionCertificate(),
      'http://www.w3.org/2001/04/xmlenc#aes256-cbc',
    );
    const answer = await sendRedirect(
      browser,
      logoutRequest(`<saml:EncryptedID>${data}</saml:EncryptedID>`, sessionIndex, '_lr1'),
    );
    assert.equal(answer.statusCode, 200, answer.body.match(/saml-[a-z_:-]+/g)?.join());
    assert.match(answerOf(answer.body), /StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/);
    assert.equal(await liveSessions(), before - 1, 'this session ended');
  });

  test('xml-encryption, AES-128-GCM, key beside EncryptedData with a RetrievalMethod, over HTTP-POST', async () => {
    const { browser, nameId, sessionIndex, before } = await loggedIn();
    const data = await encryptWithLibrary(
      nameIdXml(nameId),
      await ourEncryptionCertificate(),
      'http://www.w3.org/2009/xmlenc11#aes128-gcm',
    );
    const signed = signRootElement(
      logoutRequest(`<saml:EncryptedID>${keyBeside(data)}</saml:EncryptedID>`, sessionIndex, '_lr2'),
      sp.signing,
    );
    const answer = await browser.post('/saml/slo', {
      SAMLRequest: Buffer.from(signed).toString('base64'),
      RelayState: 'bye',
    });
    assert.equal(answer.statusCode, 200, answer.body.match(/saml-[a-z_:-]+/g)?.join());
    assert.match(answerOf(answer.body), /status:Success"/);
    assert.equal(await liveSessions(), before - 1, 'this session ended');
  });

  for (const data of ['aes256-cbc', 'aes256-gcm'] as const) {
    test(`xmlsec1 --encrypt (as Shibboleth's xmlsec), ${data}, RSA-OAEP`, async () => {
      const { browser, nameId, sessionIndex, before } = await loggedIn();
      const plain = `<saml:EncryptedID xmlns:saml="${saml}">${nameIdXml(nameId)}</saml:EncryptedID>`;
      const encryptedId = (await xmlsecEncryptNameId(plain, await ourEncryptionCertificate(), data)).replace(
        /^<\?xml[^>]*>\s*/,
        '',
      );
      assert.doesNotMatch(encryptedId, new RegExp(nameId), 'the NameID is encrypted');
      const answer = await sendRedirect(browser, logoutRequest(encryptedId, sessionIndex, `_lr-${data}`));
      assert.equal(answer.statusCode, 200, answer.body.match(/saml-[a-z_:-]+/g)?.join());
      assert.match(answerOf(answer.body), /status:Success"/);
      assert.equal(await liveSessions(), before - 1, 'this session ended');
    });
  }

  test('RSA PKCS#1 v1.5 key transport is refused, and the session stays', async () => {
    const { browser, nameId, sessionIndex, before } = await loggedIn();
    const data = await encryptWithLibrary(
      nameIdXml(nameId),
      await ourEncryptionCertificate(),
      'http://www.w3.org/2009/xmlenc11#aes256-gcm',
      'http://www.w3.org/2001/04/xmlenc#rsa-1_5',
    );
    const answer = await sendRedirect(
      browser,
      logoutRequest(`<saml:EncryptedID>${data}</saml:EncryptedID>`, sessionIndex, '_lr-v15'),
    );
    assert.equal(answer.statusCode, 400);
    assert.match(answer.body, /saml-logout-encrypted-id/);
    assert.equal(await liveSessions(), before, 'no session ended');
  });
});
