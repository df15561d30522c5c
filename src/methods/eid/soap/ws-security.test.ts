import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { testKey } from '../../../../test/helpers/saml-keys.ts';
import { el } from '../../../platform/xml/build.ts';
import { EidServerError } from './errors.ts';
import { getResultRequestElement, readGetResultRequest } from './get-result.ts';
import { signEnvelope, verifyEnvelope } from './ws-security.ts';

const now = new Date('2026-11-27T12:00:00Z');
const request = () => getResultRequestElement({ sessionId: 'AB'.repeat(16), requestCounter: 1 });
const refused = (code: string, detail?: RegExp) => (e: unknown) =>
  e instanceof EidServerError && e.code === code && (!detail || detail.test(e.message));

test('a signed envelope verifies with the pinned certificate; the message is read from the signed Body', async () => {
  const key = await testKey('eid-wss');
  const xml = signEnvelope(request(), key, now);
  assert.match(xml, /<wsse:Security [^>]*soapenv:mustUnderstand="1"/);
  assert.match(
    xml,
    /<ds:X509IssuerSerial><ds:X509IssuerName>CN=test eid-wss<\/ds:X509IssuerName><ds:X509SerialNumber>\d+<\/ds:X509SerialNumber>/,
  );
  assert.equal((xml.match(/<ds:Reference /g) ?? []).length, 2);
  const verified = verifyEnvelope(xml, [key.certificatePem], now);
  assert.deepEqual(readGetResultRequest(verified.message), { sessionId: 'AB'.repeat(16), requestCounter: 1 });
  assert.equal(verified.algorithm, 'rsa-sha256');
});

test('another key, a changed Body, no signature: refused', async () => {
  const key = await testKey('eid-wss');
  const other = await testKey('eid-wss-other');
  const xml = signEnvelope(request(), key, now);
  assert.throws(() => verifyEnvelope(xml, [other.certificatePem], now), refused('signature'));
  assert.throws(
    () => verifyEnvelope(xml.replace('<eid:RequestCounter>1<', '<eid:RequestCounter>2<'), [key.certificatePem], now),
    refused('signature'),
  );
  const unsigned = xml.replace(/<soapenv:Header>.*<\/soapenv:Header>/s, '');
  assert.throws(() => verifyEnvelope(unsigned, [key.certificatePem], now), refused('signature', /unsigned/));
  assert.throws(() => verifyEnvelope(xml, [], now), refused('signature'));
});

test('Timestamp expired or from the future: refused', async () => {
  const key = await testKey('eid-wss');
  const xml = signEnvelope(request(), key, now, 300);
  verifyEnvelope(xml, [key.certificatePem], new Date(now.getTime() + 299_000));
  assert.throws(
    () => verifyEnvelope(xml, [key.certificatePem], new Date(now.getTime() + 400_000)),
    refused('timestamp', /expired/),
  );
  assert.throws(
    () => verifyEnvelope(xml, [key.certificatePem], new Date(now.getTime() - 120_000)),
    refused('timestamp', /future/),
  );
});

test('XSW: the signed Body moved into the Header and a new unsigned Body: refused', async () => {
  const key = await testKey('eid-wss');
  const xml = signEnvelope(request(), key, now);
  const body = /<soapenv:Body .*<\/soapenv:Body>/s.exec(xml)?.[0] ?? '';
  const evil = body.replace(/wsu:Id="[^"]+"/, '').replace('<eid:RequestCounter>1<', '<eid:RequestCounter>9<');
  const wrapped = xml
    .replace(body, evil)
    .replace('</wsse:Security>', `</wsse:Security><wrap xmlns="urn:x">${body}</wrap>`);
  assert.throws(() => verifyEnvelope(wrapped, [key.certificatePem], now), refused('envelope'));
  // The same, with the original Body's wsu:Id copied onto the new Body.
  const idClash = xml
    .replace(body, body.replace('<eid:RequestCounter>1<', '<eid:RequestCounter>9<'))
    .replace('</wsse:Security>', `</wsse:Security><wrap xmlns="urn:x">${body}</wrap>`);
  assert.throws(() => verifyEnvelope(idClash, [key.certificatePem], now), refused('envelope'));
  // Hidden in a second header instead: the Header may hold only wsse:Security.
  const inHeader = xml
    .replace(body, evil)
    .replace(
      '</soapenv:Header>',
      `<wrap xmlns="urn:x">${body.replaceAll('soapenv:Body', 'x:Body').replace('<x:Body ', '<x:Body xmlns:x="urn:x" ')}</wrap></soapenv:Header>`,
    );
  assert.throws(() => verifyEnvelope(inHeader, [key.certificatePem], now), refused('signature'));
});

test('signature shape: a third Reference, a comment in DigestValue, a KeyInfo certificate of an attacker', async () => {
  const key = await testKey('eid-wss');
  const attacker = await testKey('eid-wss-attacker');
  const xml = signEnvelope(request(), key, now);
  const reference = /<ds:Reference .*?<\/ds:Reference>/s.exec(xml)?.[0] ?? '';
  assert.throws(
    () => verifyEnvelope(xml.replace(reference, reference + reference), [key.certificatePem], now),
    refused('signature'),
  );
  const commented = xml.replace(/<ds:DigestValue>([^<]{4})/, '<ds:DigestValue><!-- x -->$1');
  assert.throws(() => verifyEnvelope(commented, [key.certificatePem], now), refused('signature', /comment/));
  // Signed by the attacker with the attacker's certificate in KeyInfo: the pinned certificate decides.
  const forged = signEnvelope(request(), attacker, now);
  assert.throws(() => verifyEnvelope(forged, [key.certificatePem], now), refused('signature'));
});

test('a SOAP Fault in the Body ends in fault, signed or not', async () => {
  const key = await testKey('eid-wss');
  const fault = el('http://schemas.xmlsoap.org/soap/envelope/', 'soapenv:Fault', {}, [
    el('', 'faultcode', {}, ['soapenv:Server']),
    el('', 'faultstring', {}, ['boom']),
  ]);
  assert.throws(() => verifyEnvelope(signEnvelope(fault, key, now), [key.certificatePem], now), refused('fault'));
});

test('xmlsec1 (an independent implementation) verifies our signature over Body and Timestamp with the pinned certificate', async () => {
  const key = await testKey('eid-wss');
  const xml = signEnvelope(request(), key, new Date());
  const dir = await mkdtemp(join(tmpdir(), 'eid-wss-'));
  try {
    await writeFile(join(dir, 'message.xml'), xml);
    await writeFile(join(dir, 'cert.pem'), key.certificatePem);
    const { stdout, stderr } = await promisify(execFile)('xmlsec1', [
      '--verify',
      '--pubkey-cert-pem',
      join(dir, 'cert.pem'),
      '--enabled-key-data',
      'key-name',
      '--enabled-reference-uris',
      'same-doc',
      '--id-attr:Id',
      'http://schemas.xmlsoap.org/soap/envelope/:Body',
      '--id-attr:Id',
      'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd:Timestamp',
      join(dir, 'message.xml'),
    ]);
    assert.match(`${stdout}${stderr}`, /SignedInfo References \(ok\/all\): 2\/2/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
