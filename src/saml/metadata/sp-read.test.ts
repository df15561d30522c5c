import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SAML } from '@node-saml/node-saml';
import { generateKeyWithCertificate } from '../../platform/crypto/certificate.ts';
import { parseSamlXml } from '../../platform/xml/parse.ts';
import { validateSamlSchema } from '../xml/schema.ts';
import { readSpMetadata } from './sp-read.ts';

/** Metadata as a real SP library writes it (node-saml), with separate signing and encryption keys. */
async function nodeSamlMetadata(entityId: string, acs: string) {
  const signing = await generateKeyWithCertificate('RSA-3072', 'signing', 'sp signing', new Date());
  const encryption = await generateKeyWithCertificate('RSA-3072', 'encryption', 'sp encryption', new Date());
  const sp = new SAML({
    issuer: entityId,
    callbackUrl: acs,
    idpCert: signing.certificatePem,
    entryPoint: 'https://konto.example/saml/sso',
    logoutCallbackUrl: `${acs.replace('/acs', '/slo')}`,
    privateKey: signing.privateKeyPem,
    decryptionPvk: encryption.privateKeyPem,
    identifierFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient',
  });
  return sp.generateServiceProviderMetadata(encryption.certificatePem, signing.certificatePem);
}

test('node-saml metadata: ACS, SLO and both keys are taken over', async () => {
  const xml = await nodeSamlMetadata('https://service.example/metadata', 'https://service.example/acs');
  await validateSamlSchema(xml, 'metadata');
  const read = readSpMetadata(parseSamlXml(xml), { production: true });
  assert.ok(read.ok, read.ok ? '' : read.problem);
  assert.equal(read.metadata.entityId, 'https://service.example/metadata');
  assert.deepEqual(
    read.metadata.acs.map((a) => a.url),
    ['https://service.example/acs'],
  );
  assert.equal(read.metadata.signingCertificates.length, 1);
  assert.equal(read.metadata.encryptionCertificates.length, 1);
  assert.notEqual(read.metadata.signingCertificates[0], read.metadata.encryptionCertificates[0]);
  assert.equal(read.metadata.singleLogout[0]?.url, 'https://service.example/slo');
});

test('entityIDs with a port or plain http, and http endpoints, are refused in production', async () => {
  const withPort = await nodeSamlMetadata('https://service.example:8443/metadata', 'https://service.example/acs');
  assert.deepEqual(readSpMetadata(parseSamlXml(withPort), { production: true }), { ok: false, problem: 'entity_id' });
  const httpAcs = await nodeSamlMetadata('https://service.example/metadata', 'http://service.example/acs');
  assert.deepEqual(readSpMetadata(parseSamlXml(httpAcs), { production: true }), { ok: false, problem: 'acs_url' });
  const local = await nodeSamlMetadata('http://localhost/metadata', 'http://localhost:4000/acs');
  assert.equal(
    readSpMetadata(parseSamlXml(local), { production: false }).ok,
    true,
    'localhost is fine for development',
  );
  assert.equal(readSpMetadata(parseSamlXml(local), { production: true }).ok, false);
});

test('an aggregate of several entities is refused', () => {
  const aggregate =
    '<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"><md:EntityDescriptor entityID="https://a.example/"/></md:EntitiesDescriptor>';
  assert.deepEqual(readSpMetadata(parseSamlXml(aggregate), { production: true }), {
    ok: false,
    problem: 'not_one_entity',
  });
});
