import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testKey } from '../../../test/helpers/saml-keys.ts';
import { xmlNs } from '../../platform/xml/namespaces.ts';
import { SamlSignatureError } from './errors.ts';
import { signRootElement } from './sign-element.ts';
import { isSigned, verifySignedMessage } from './verify-element.ts';

const ns = `xmlns:samlp="${xmlNs.protocol}" xmlns:saml="${xmlNs.assertion}"`;
const authnRequest = `<samlp:AuthnRequest ${ns} ID="_q1" Version="2.0" IssueInstant="2026-01-01T00:00:00Z" Destination="https://idp.example/saml/sso" AssertionConsumerServiceURL="https://sp.example/acs"><saml:Issuer>https://sp.example</saml:Issuer><samlp:NameIDPolicy Format="urn:oasis:names:tc:SAML:2.0:nameid-format:transient"/></samlp:AuthnRequest>`;
const logoutRequest = `<samlp:LogoutRequest ${ns} ID="_l1" Version="2.0" IssueInstant="2026-01-01T00:00:00Z"><saml:Issuer>https://sp.example</saml:Issuer><saml:NameID>name-1</saml:NameID><samlp:SessionIndex>session-1</samlp:SessionIndex></samlp:LogoutRequest>`;

function code(expected: string) {
  return (error: unknown) => error instanceof SamlSignatureError && error.code === expected;
}

test('a signed request verifies with its certificate, and the result is read from the signed bytes', async () => {
  const sp = await testKey('sp');
  const other = await testKey('other');
  const signed = signRootElement(authnRequest, sp);
  assert.equal(isSigned(signed), true);
  assert.equal(isSigned(authnRequest), false);
  const verified = verifySignedMessage(signed, [other.certificatePem, sp.certificatePem]);
  assert.equal(verified.certificatePem, sp.certificatePem, 'the rotation case: the second trusted certificate matches');
  assert.equal(verified.algorithm, 'rsa-sha256');
  assert.equal(verified.root.localName, 'AuthnRequest');
  assert.equal(verified.root.getAttribute('AssertionConsumerServiceURL'), 'https://sp.example/acs');
  assert.equal(
    verified.document.getElementsByTagNameNS(xmlNs.dsig, 'Signature').length,
    0,
    'the enveloped signature is not part of the signed content',
  );
});

test('ECDSA and RSASSA-PSS signed requests verify', async () => {
  const ec = await testKey('sp-ec', 'EC-P256');
  const rsa = await testKey('sp');
  assert.equal(
    verifySignedMessage(signRootElement(logoutRequest, ec, 'ecdsa-sha256'), [ec.certificatePem]).algorithm,
    'ecdsa-sha256',
  );
  assert.equal(
    verifySignedMessage(signRootElement(logoutRequest, rsa, 'rsa-pss-sha256'), [rsa.certificatePem]).algorithm,
    'rsa-pss-sha256',
  );
});

test('unsigned, untrusted, altered: each is refused with its reason', async () => {
  const sp = await testKey('sp');
  const other = await testKey('other');
  const signed = signRootElement(logoutRequest, sp);
  assert.throws(() => verifySignedMessage(logoutRequest, [sp.certificatePem]), code('unsigned'));
  assert.throws(() => verifySignedMessage(signed, []), code('no_trusted_certificate'));
  assert.throws(() => verifySignedMessage(signed, [other.certificatePem]), code('invalid'));
  assert.throws(
    () => verifySignedMessage(signed.replace('session-1', 'session-2'), [sp.certificatePem]),
    code('invalid'),
  );
  const ec = await testKey('sp-ec', 'EC-P256');
  assert.throws(
    () => verifySignedMessage(signed, [ec.certificatePem]),
    code('invalid'),
    'an EC certificate does not verify an rsa-sha256 signature',
  );
});

test('comments inside signed values do not break the signature and are read joined, never truncated (CVE-2017-11428)', async () => {
  const sp = await testKey('sp');
  const signed = signRootElement(logoutRequest, sp);
  const commented = signed
    .replace('name-1', 'name<!---->-1')
    .replace('https://sp.example<', 'https://sp<!-- x -->.example<');
  const verified = verifySignedMessage(commented, [sp.certificatePem]);
  assert.equal(verified.document.getElementsByTagNameNS(xmlNs.assertion, 'NameID').item(0)?.textContent, 'name-1');
  assert.equal(
    verified.document.getElementsByTagNameNS(xmlNs.assertion, 'Issuer').item(0)?.textContent,
    'https://sp.example',
  );
  assert.equal(
    verified.document.getElementsByTagNameNS(xmlNs.assertion, 'NameID').item(0)?.childNodes.length,
    1,
    'comments are gone from the signed bytes',
  );
});

test('signed metadata larger than a protocol message verifies when the caller raises the limits', async () => {
  const sp = await testKey('sp');
  const endpoints = Array.from(
    { length: 2000 },
    (_, i) =>
      `<md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://sp.example/acs/${i}" index="${i}"/>`,
  ).join('');
  const metadata = signRootElement(
    `<md:EntityDescriptor xmlns:md="${xmlNs.metadata}" ID="_m1" entityID="https://sp.example/metadata"><md:SPSSODescriptor protocolSupportEnumeration="${xmlNs.protocol}">${endpoints}</md:SPSSODescriptor></md:EntityDescriptor>`,
    sp,
  );
  assert.ok(metadata.length > 200 * 1024);
  assert.throws(
    () => verifySignedMessage(metadata, [sp.certificatePem]),
    (e: unknown) => e instanceof Error && 'code' in e && e.code === 'too_large',
  );
  assert.equal(
    verifySignedMessage(metadata, [sp.certificatePem], { maxBytes: 1024 * 1024 }).root.localName,
    'EntityDescriptor',
  );
});
