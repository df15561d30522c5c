import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { sign } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SignedXml } from 'xml-crypto';
import {
  restrictAlgorithms,
  signatureMethods,
  type SignatureAlgorithmName,
} from '../../src/platform/xml/algorithms.ts';
import {
  generateKeyWithCertificate,
  type KeyAlgorithm,
  type KeyWithCertificate,
} from '../../src/platform/crypto/certificate.ts';
import { signRootElement } from '../../src/saml/crypto/sign-element.ts';
import { signRedirectQuery } from '../../src/saml/crypto/sign-query.ts';
import { base64OfPem } from '../../src/saml/idp.ts';
import { encodeRedirectMessage } from '../../src/saml/bindings/redirect.ts';
import { validateSamlSchema } from '../../src/saml/xml/schema.ts';
import { createServiceProvider, registerServiceProvider } from '../helpers/saml-sp.ts';
import { Browser, buildTestApp, type TestApp } from '../helpers/test-app.ts';
import { xmlsecVerify } from '../helpers/xmlsec.ts';

const run = promisify(execFile);
const samlp = 'urn:oasis:names:tc:SAML:2.0:protocol';
const saml = 'urn:oasis:names:tc:SAML:2.0:assertion';
const rsaSha1 = 'http://www.w3.org/2000/09/xmldsig#rsa-sha1';

/** Which key each algorithm is tried with: RSA-3072 for RSA, the curve of the hash for ECDSA. */
const keyFor: Record<SignatureAlgorithmName, KeyAlgorithm> = {
  'rsa-sha256': 'RSA-3072',
  'rsa-sha384': 'RSA-3072',
  'rsa-sha512': 'RSA-3072',
  'rsa-pss-sha256': 'RSA-3072',
  'rsa-pss-sha384': 'RSA-3072',
  'rsa-pss-sha512': 'RSA-3072',
  'ecdsa-sha256': 'EC-P256',
  'ecdsa-sha384': 'EC-P384',
};

/**
 * Issue 13, points 14 and 15: request signatures with RSA-SHA256/384/512,
 * RSASSA-PSS and ECDSA are accepted over HTTP-Redirect and HTTP-POST, SHA-1
 * is refused with its own code naming it and what we accept, and the IdP
 * metadata publishes the algorithms (algsupport profile) and asks for
 * signed requests, staying schema-valid.
 */
describe('SAML request signature algorithms', () => {
  let t: TestApp;
  const keys = new Map<KeyAlgorithm, KeyWithCertificate>();
  before(async () => {
    t = await buildTestApp();
    for (const alg of ['RSA-3072', 'EC-P256', 'EC-P384'] as const)
      keys.set(alg, await generateKeyWithCertificate(alg, 'signing', `test ${alg}`, new Date()));
  });
  after(() => t.close());

  /** A service whose metadata says AuthnRequestsSigned and lists this signing key. */
  async function service(entityHost: string, key: KeyWithCertificate) {
    const sp = await createServiceProvider(t.app, { entityId: `https://${entityHost}/saml` });
    await registerServiceProvider(t.app, sp, {
      signingCertificates: [base64OfPem(key.certificatePem)],
      authnRequestsSigned: true,
    });
    return sp;
  }

  const authnRequest = (issuer: string, id: string) =>
    `<samlp:AuthnRequest xmlns:samlp="${samlp}" xmlns:saml="${saml}" ID="${id}" Version="2.0" IssueInstant="${t.clock.now().toISOString()}" Destination="${t.app.config.publicUrl}/saml/sso" AssertionConsumerServiceURL="https://service.example/saml/acs" ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"><saml:Issuer>${issuer}</saml:Issuer></samlp:AuthnRequest>`;
  const accepted = (response: { statusCode: number; headers: Record<string, unknown>; body: string }, what: string) => {
    assert.equal(
      response.statusCode,
      303,
      `${what}: ${response.body.match(/saml-[a-z_:-]+/g)?.join() ?? response.body.slice(0, 200)}`,
    );
    assert.match(String(response.headers.location), /^\/saml\/login\//, what);
  };

  for (const alg of Object.keys(signatureMethods) as SignatureAlgorithmName[]) {
    test(`${alg}: accepted as an HTTP-Redirect query signature and as an XML signature over HTTP-POST`, async () => {
      const key = keys.get(keyFor[alg]);
      assert.ok(key);
      const sp = await service(`${alg}.example`, key);
      const redirect = signRedirectQuery(
        { kind: 'SAMLRequest', xml: authnRequest(sp.entityId, `_r-${alg}`) },
        key,
        alg,
      );
      accepted(await new Browser(t.fastify).get(`/saml/sso?${redirect}`), `${alg} redirect`);
      const posted = signRootElement(authnRequest(sp.entityId, `_p-${alg}`), key, alg);
      accepted(
        await new Browser(t.fastify).post('/saml/sso', { SAMLRequest: Buffer.from(posted).toString('base64') }),
        `${alg} post`,
      );
    });
  }

  test('SHA-384 and SHA-512 digests in an XML signature are accepted', async () => {
    const key = keys.get('RSA-3072');
    assert.ok(key);
    const sp = await service('digests.example', key);
    for (const digest of ['http://www.w3.org/2001/04/xmldsig-more#sha384', 'http://www.w3.org/2001/04/xmlenc#sha512']) {
      const signer = new SignedXml({
        privateKey: key.privateKeyPem,
        signatureAlgorithm: signatureMethods['rsa-sha512'],
        canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
      });
      // Our tables: xml-crypto itself has no SHA-384.
      restrictAlgorithms(signer);
      signer.addReference({
        xpath: '/*',
        transforms: [
          'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
          'http://www.w3.org/2001/10/xml-exc-c14n#',
        ],
        digestAlgorithm: digest,
      });
      signer.computeSignature(authnRequest(sp.entityId, `_d-${digest.slice(-6)}`), {
        location: { reference: "/*/*[local-name()='Issuer']", action: 'after' },
      });
      accepted(
        await new Browser(t.fastify).post('/saml/sso', {
          SAMLRequest: Buffer.from(signer.getSignedXml()).toString('base64'),
        }),
        digest,
      );
    }
  });

  test('RSA-SHA1 is refused with saml-request-algorithm-not-allowed, naming it and what is accepted, over both bindings', async () => {
    const key = keys.get('RSA-3072');
    assert.ok(key);
    const sp = await service('sha1.example', key);
    const octets = `SAMLRequest=${encodeURIComponent(encodeRedirectMessage(authnRequest(sp.entityId, '_sha1-r')))}&SigAlg=${encodeURIComponent(rsaSha1)}`;
    const signature = sign('sha1', Buffer.from(octets), key.privateKeyPem).toString('base64');
    const redirect = await new Browser(t.fastify).get(`/saml/sso?${octets}&Signature=${encodeURIComponent(signature)}`);

    const signer = new SignedXml({
      privateKey: key.privateKeyPem,
      signatureAlgorithm: rsaSha1,
      canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
    });
    signer.addReference({
      xpath: '/*',
      transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'],
      digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
    });
    signer.computeSignature(authnRequest(sp.entityId, '_sha1-p'), {
      location: { reference: "/*/*[local-name()='Issuer']", action: 'after' },
    });
    const posted = await new Browser(t.fastify).post(
      '/saml/sso',
      { SAMLRequest: Buffer.from(signer.getSignedXml()).toString('base64') },
      { accept: 'application/json' },
    );

    for (const [response, json] of [
      [redirect, false],
      [posted, true],
    ] as const) {
      assert.equal(response.statusCode, 400);
      const text = json ? String((JSON.parse(response.body) as { message: string }).message) : response.body;
      assert.match(text, /saml-request-algorithm-not-allowed/);
      assert.ok(text.includes(rsaSha1), 'names the algorithm sent');
      assert.match(text, /rsa-sha256, rsa-sha384, rsa-sha512, rsa-pss-sha256/, 'and what is accepted');
    }
  });

  test('our metadata: WantAuthnRequestsSigned, the accepted algorithms (algsupport), no SHA-1; schema-valid (libxml2 and xmllint) and signed', async () => {
    const response = await new Browser(t.fastify).get('/saml/metadata');
    assert.equal(response.statusCode, 200);
    const xml = response.body;
    assert.match(xml, /<md:IDPSSODescriptor [^>]*WantAuthnRequestsSigned="true"/);
    for (const alg of Object.keys(signatureMethods) as SignatureAlgorithmName[])
      assert.ok(
        xml.includes(
          `<alg:SigningMethod xmlns:alg="urn:oasis:names:tc:SAML:metadata:algsupport" Algorithm="${signatureMethods[alg]}"`,
        ),
        alg,
      );
    for (const digest of [
      'http://www.w3.org/2001/04/xmlenc#sha256',
      'http://www.w3.org/2001/04/xmldsig-more#sha384',
      'http://www.w3.org/2001/04/xmlenc#sha512',
    ])
      assert.ok(
        xml.includes(
          `<alg:DigestMethod xmlns:alg="urn:oasis:names:tc:SAML:metadata:algsupport" Algorithm="${digest}"/>`,
        ),
        digest,
      );
    assert.doesNotMatch(xml, /sha1"/);
    assert.match(xml, /<md:EncryptionMethod Algorithm="http:\/\/www.w3.org\/2009\/xmlenc11#aes256-gcm"\/>/);
    await validateSamlSchema(xml, 'metadata');
    const dir = await mkdtemp(join(tmpdir(), 'idp-metadata-'));
    try {
      await writeFile(join(dir, 'metadata.xml'), xml);
      const schemas = new URL('../../src/saml/xml/schemas/', import.meta.url).pathname;
      await run('xmllint', [
        '--noout',
        '--nonet',
        '--schema',
        join(schemas, 'saml-schema-metadata-2.0.xsd'),
        join(dir, 'metadata.xml'),
      ]);
      // The extension elements themselves (lax in md:Extensions), against the profile's own schema.
      const elements = [...xml.matchAll(/<alg:(?:SigningMethod|DigestMethod) [^>]*\/>/g)];
      assert.equal(elements.length, 11);
      for (const [index, element] of elements.entries()) {
        await writeFile(join(dir, `alg-${index}.xml`), element[0]);
        await run('xmllint', [
          '--noout',
          '--nonet',
          '--schema',
          join(schemas, 'sstc-saml-metadata-algsupport-v1.0.xsd'),
          join(dir, `alg-${index}.xml`),
        ]);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    const idpCert = (await t.app.saml.keys()).signingKey('RSA-3072', t.clock.now()).certificatePem;
    await xmlsecVerify(xml, idpCert, 'EntityDescriptor');
  });
});
