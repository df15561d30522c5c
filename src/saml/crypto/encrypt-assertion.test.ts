import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decrypt } from 'xml-encryption';
import { testKey } from '../../../test/helpers/saml-keys.ts';
import { xmlsecDecrypt, xmlsecVerify } from '../../../test/helpers/xmlsec.ts';
import { buildXml, el, fragment } from '../../platform/xml/build.ts';
import { xmlNs } from '../../platform/xml/namespaces.ts';
import { parseSamlXml } from '../../platform/xml/parse.ts';
import { validateSamlSchema } from '../xml/schema.ts';
import { encryptAssertion } from './encrypt-assertion.ts';
import { signRootElement } from './sign-element.ts';

const assertion = buildXml(
  el(xmlNs.assertion, 'saml:Assertion', { ID: '_a1', Version: '2.0', IssueInstant: '2026-01-01T00:00:00Z' }, [
    el(xmlNs.assertion, 'saml:Issuer', {}, ['https://idp.example/saml/metadata']),
    el(xmlNs.assertion, 'saml:Subject', {}, [
      el(xmlNs.assertion, 'saml:NameID', { Format: 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient' }, [
        'Erika Müller <&>',
      ]),
    ]),
  ]),
);

function response(encryptedAssertion: string): string {
  return buildXml(
    el(
      xmlNs.protocol,
      'samlp:Response',
      {
        'xmlns:saml': xmlNs.assertion,
        ID: '_r1',
        Version: '2.0',
        IssueInstant: '2026-01-01T00:00:00Z',
        Destination: 'https://sp.example/acs',
      },
      [
        el(xmlNs.assertion, 'saml:Issuer', {}, ['https://idp.example/saml/metadata']),
        el(xmlNs.protocol, 'samlp:Status', {}, [
          el(xmlNs.protocol, 'samlp:StatusCode', { Value: 'urn:oasis:names:tc:SAML:2.0:status:Success' }),
        ]),
        fragment(encryptedAssertion),
      ],
    ),
  );
}

function xmlEncryptionDecrypt(encryptedAssertion: string, privateKeyPem: string): Promise<string> {
  const data = parseSamlXml(encryptedAssertion).getElementsByTagNameNS(xmlNs.xenc, 'EncryptedData').item(0);
  return new Promise((resolve, reject) =>
    decrypt(
      data?.toString() ?? '',
      { key: privateKeyPem, disallowDecryptionWithInsecureAlgorithm: true },
      (error, result) => (error ? reject(error) : resolve(result)),
    ),
  );
}

test('xmlsec1 decrypts our default EncryptedAssertion (AES-256-GCM, rsa-oaep-mgf1p) and verifies the signed assertion inside', async () => {
  const idp = await testKey('idp');
  const sp = await testKey('sp-enc', 'RSA-3072', 'encryption');
  const signedAssertion = signRootElement(assertion, idp);
  const encrypted = await encryptAssertion(signedAssertion, sp.certificatePem);
  assert.ok(encrypted.startsWith('<saml:EncryptedAssertion'));
  assert.ok(encrypted.includes('http://www.w3.org/2009/xmlenc11#aes256-gcm'));
  assert.ok(encrypted.includes('http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p'));
  assert.ok(!encrypted.includes('Erika'), 'nothing of the assertion in clear');
  const signedResponse = signRootElement(response(encrypted), idp);
  await validateSamlSchema(signedResponse, 'protocol');
  await xmlsecVerify(signedResponse, idp.certificatePem, 'Response');

  const decrypted = await xmlsecDecrypt(signedResponse, sp.privateKeyPem);
  await xmlsecVerify(decrypted, idp.certificatePem, 'Assertion');
  assert.equal(
    parseSamlXml(decrypted).getElementsByTagNameNS(xmlNs.assertion, 'NameID').item(0)?.textContent,
    'Erika Müller <&>',
  );
});

test('AES-128-GCM decrypts with xmlsec1; RSA-OAEP with SHA-256 (xmlenc11, unknown to xmlsec1 1.2) decrypts with xml-encryption', async () => {
  const sp = await testKey('sp-enc', 'RSA-3072', 'encryption');
  const aes128 = await encryptAssertion(assertion, sp.certificatePem, { data: 'aes128-gcm' });
  assert.ok(aes128.includes('xmlenc11#aes128-gcm'));
  const decrypted = parseSamlXml(await xmlsecDecrypt(aes128, sp.privateKeyPem));
  assert.equal(decrypted.getElementsByTagNameNS(xmlNs.assertion, 'NameID').item(0)?.textContent, 'Erika Müller <&>');
  const oaep256 = await encryptAssertion(assertion, sp.certificatePem, { keyTransport: 'rsa-oaep-sha256' });
  assert.ok(
    oaep256.includes('http://www.w3.org/2009/xmlenc11#rsa-oaep') &&
      oaep256.includes('xmlenc11#mgf1sha256') &&
      oaep256.includes('xmlenc#sha256'),
  );
  assert.equal(await xmlEncryptionDecrypt(oaep256, sp.privateKeyPem), assertion);
  assert.equal(
    await xmlEncryptionDecrypt(await encryptAssertion(assertion, sp.certificatePem), sp.privateKeyPem),
    assertion,
  );
});

test('a flipped byte in the GCM ciphertext fails authentication (compare xmlseclibs CVE-2026-32313)', async () => {
  const sp = await testKey('sp-enc', 'RSA-3072', 'encryption');
  const encrypted = await encryptAssertion(assertion, sp.certificatePem);
  const doc = parseSamlXml(encrypted);
  const values = doc.getElementsByTagNameNS(xmlNs.xenc, 'CipherValue');
  const content = values.item(values.length - 1);
  const bytes = Buffer.from(content?.textContent ?? '', 'base64');
  bytes[20] = (bytes[20] ?? 0) ^ 0x01;
  const tampered = encrypted.replace(content?.textContent ?? '', bytes.toString('base64'));
  assert.notEqual(tampered, encrypted);
  await assert.rejects(xmlsecDecrypt(tampered, sp.privateKeyPem));
  await assert.rejects(xmlEncryptionDecrypt(tampered, sp.privateKeyPem));
});

test('only an Assertion, only to an RSA key of 2048 bits or more', async () => {
  const ec = await testKey('sp-ec', 'EC-P256');
  const sp = await testKey('sp-enc', 'RSA-3072', 'encryption');
  await assert.rejects(encryptAssertion(assertion, ec.certificatePem), /RSA key/);
  await assert.rejects(
    encryptAssertion('<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_x"/>', sp.certificatePem),
    /only a saml:Assertion/,
  );
});
