import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey, createSign, X509Certificate } from 'node:crypto';
import { testKey } from '../../../test/helpers/saml-keys.ts';
import { opensslVerify } from '../../../test/helpers/xmlsec.ts';
import { decodeRedirectMessage, encodeRedirectMessage, readRedirectQuery } from '../bindings/redirect.ts';
import { signatureMethods } from '../../platform/xml/algorithms.ts';
import { SamlSignatureError } from './errors.ts';
import { signRedirectQuery } from './sign-query.ts';
import { verifyRedirectSignature } from './verify-query.ts';

const xml = '<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_l1"/>';
const code = (expected: string) => (error: unknown) => error instanceof SamlSignatureError && error.code === expected;

/** What an SP library does (node-saml's getAuthorizeUrlAsync): sign the octets it put in the URL. */
async function spQuery(
  template: string,
  sigAlgUri = signatureMethods['rsa-sha256'],
  hash = 'RSA-SHA256',
): Promise<string> {
  const sp = await testKey('sp');
  const octets = template.replace('SIGALG', encodeURIComponent(sigAlgUri));
  const signature = createSign(hash).update(octets).sign(createPrivateKey(sp.privateKeyPem), 'base64');
  return `${octets}&Signature=${encodeURIComponent(signature)}`;
}

const message = encodeURIComponent(encodeRedirectMessage(xml));

test('our outbound query signature verifies with openssl over the raw octets, and with our verifier', async () => {
  const idp = await testKey('idp');
  const ec = await testKey('idp-ec', 'EC-P256');
  for (const [key, alg] of [
    [idp, 'rsa-sha256'],
    [ec, 'ecdsa-sha256'],
  ] as const) {
    const query = signRedirectQuery({ kind: 'SAMLResponse', xml, relayState: 'relay/state ä' }, key, alg);
    const octets = query.slice(0, query.indexOf('&Signature='));
    const signature = Buffer.from(
      decodeURIComponent(query.slice(query.indexOf('&Signature=') + '&Signature='.length)),
      'base64',
    );
    const publicKeyPem = new X509Certificate(key.certificatePem).publicKey
      .export({ type: 'spki', format: 'pem' })
      .toString();
    assert.ok(await opensslVerify(octets, signature, publicKeyPem, alg), `openssl verifies ${alg}`);
    const read = readRedirectQuery(query);
    assert.equal(read.relayState, 'relay/state ä');
    assert.equal(decodeRedirectMessage(read.message), xml);
    assert.equal(verifyRedirectSignature(read, [key.certificatePem]).algorithm, alg);
  }
});

test('an SP-signed query verifies in any URL order, since the signed octets follow the spec order', async () => {
  const sp = await testKey('sp');
  const signed = await spQuery(`SAMLRequest=${message}&RelayState=abc&SigAlg=SIGALG`);
  assert.equal(
    verifyRedirectSignature(readRedirectQuery(signed), [sp.certificatePem]).certificatePem,
    sp.certificatePem,
  );
  const [request, relay, sigAlg, signature] = signed.split('&');
  assert.ok(
    verifyRedirectSignature(readRedirectQuery([signature, sigAlg, relay, request].join('&')), [sp.certificatePem]),
  );
});

test('tampering with the query is refused', async () => {
  const sp = await testKey('sp');
  const other = await testKey('other');
  const signed = await spQuery(`SAMLRequest=${message}&RelayState=abc%2Fdef&SigAlg=SIGALG`);
  const verify = (query: string, certificates = [sp.certificatePem]) =>
    verifyRedirectSignature(readRedirectQuery(query), certificates);
  assert.throws(
    () => verify(signed.replace('RelayState=abc', 'RelayState=abd')),
    code('invalid'),
    'RelayState changed',
  );
  assert.throws(() => verify(signed.replace(/&RelayState=[^&]*/, '')), code('invalid'), 'RelayState removed');
  // Another spelling of the same values is checked against their canonical encoding: it carries nothing new.
  assert.ok(verify(signed.replace('%2F', '%2f')), 'percent-encoding spelt differently, same values');
  assert.throws(
    () =>
      verify(
        signed.replace(
          `SAMLRequest=${message}`,
          `SAMLRequest=${encodeURIComponent(encodeRedirectMessage(xml.replace('_l1', '_l2')))}`,
        ),
      ),
    code('invalid'),
    'message changed',
  );
  assert.throws(() => verify(signed, [other.certificatePem]), code('invalid'), 'untrusted key');
  assert.throws(() => verify(signed, []), code('no_trusted_certificate'));
  assert.throws(() => verify(`SAMLRequest=${message}`), code('unsigned'));
  assert.throws(
    () => verify(`${signed}&Signature=AAAA`),
    (e: unknown) => e instanceof Error,
    'a second Signature',
  );
  assert.throws(() => verify(signed.replace(/Signature=[^&]*/, 'Signature=%25%25')), code('signature_shape'));
  const reordered = await spQuery(`SigAlg=SIGALG&SAMLRequest=${message}&RelayState=abc`);
  assert.throws(() => verify(reordered), code('invalid'), 'signed over another order than §3.4.4.1');
});

test('SigAlg outside the allowlist is refused before any key is tried', async () => {
  const sha1 = await spQuery(
    `SAMLRequest=${message}&SigAlg=SIGALG`,
    'http://www.w3.org/2000/09/xmldsig#rsa-sha1',
    'RSA-SHA1',
  );
  const sp = await testKey('sp');
  assert.throws(
    () => verifyRedirectSignature(readRedirectQuery(sha1), [sp.certificatePem]),
    code('algorithm'),
    'rsa-sha1',
  );
  // RSASSA-PSS is accepted since issue 13 (point 14); ECDSA with SHA-1 stays out with the rest of SHA-1.
  for (const uri of [
    'http://www.w3.org/2000/09/xmldsig#hmac-sha1',
    'http://www.w3.org/2000/09/xmldsig#dsa-sha1',
    'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha1',
    'urn:unknown',
  ]) {
    const query = await spQuery(`SAMLRequest=${message}&SigAlg=SIGALG`, uri);
    assert.throws(() => verifyRedirectSignature(readRedirectQuery(query), [sp.certificatePem]), code('algorithm'), uri);
  }
  const ec = await testKey('sp-ec', 'EC-P256');
  const claimedEc = await spQuery(`SAMLRequest=${message}&SigAlg=SIGALG`, signatureMethods['ecdsa-sha256']);
  assert.throws(
    () => verifyRedirectSignature(readRedirectQuery(claimedEc), [sp.certificatePem, ec.certificatePem]),
    code('invalid'),
    'an RSA signature labelled ECDSA',
  );
});
