import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SamlXmlError } from '../../platform/xml/errors.ts';
import { validateSamlSchema } from './schema.ts';

const samlp = 'xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"';
const issuer = '<saml:Issuer>https://sp.example</saml:Issuer>';

const authnRequest = `<samlp:AuthnRequest ${samlp} ID="_a1" Version="2.0" IssueInstant="2026-01-01T00:00:00Z" Destination="https://idp.example/saml/sso" AssertionConsumerServiceURL="https://sp.example/acs" ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST">${issuer}<samlp:Extensions><akdb:AuthenticationRequest xmlns:akdb="https://www.akdb.de/request/2018/09" Version="2"/></samlp:Extensions><samlp:NameIDPolicy Format="urn:oasis:names:tc:SAML:2.0:nameid-format:transient" AllowCreate="true"/><samlp:RequestedAuthnContext Comparison="minimum"><saml:AuthnContextClassRef>STORK-QAA-Level-3</saml:AuthnContextClassRef></samlp:RequestedAuthnContext></samlp:AuthnRequest>`;

const logoutRequest = (inner: string) =>
  `<samlp:LogoutRequest ${samlp} ID="_l1" Version="2.0" IssueInstant="2026-01-01T00:00:00Z">${issuer}${inner}<samlp:SessionIndex>s1</samlp:SessionIndex></samlp:LogoutRequest>`;

const metadata = `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://sp.example/metadata"><md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol" AuthnRequestsSigned="true"><md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://sp.example/acs" index="0"/></md:SPSSODescriptor><md:Organization><md:OrganizationName xml:lang="de">Gemeinde</md:OrganizationName><md:OrganizationDisplayName xml:lang="de">Gemeinde</md:OrganizationDisplayName><md:OrganizationURL xml:lang="de">https://sp.example</md:OrganizationURL></md:Organization></md:EntityDescriptor>`;

async function invalid(xml: string, kind: 'protocol' | 'metadata'): Promise<void> {
  await assert.rejects(validateSamlSchema(xml, kind), (e: unknown) => e instanceof SamlXmlError && e.code === 'schema');
}

test('a BundID-style AuthnRequest and a LogoutRequest are valid protocol messages', async () => {
  await validateSamlSchema(authnRequest, 'protocol');
  await validateSamlSchema(logoutRequest('<saml:NameID>n1</saml:NameID>'), 'protocol');
});

test('structural attacks fail the schema: two Issuers, a missing ID, an Assertion inside a LogoutRequest, a foreign root', async () => {
  await invalid(authnRequest.replace(issuer, issuer + issuer), 'protocol');
  await invalid(authnRequest.replace(' ID="_a1"', ''), 'protocol');
  await invalid(authnRequest.replace('Version="2.0"', 'Version="2.0" Unknown="1"'), 'protocol');
  // samlify GHSA-63ch-w8pw-4mf2 shape: a captured signed Assertion carried in a LogoutRequest.
  await invalid(
    logoutRequest(
      `<saml:NameID>n1</saml:NameID><saml:Assertion ID="_x" Version="2.0" IssueInstant="2026-01-01T00:00:00Z">${issuer}</saml:Assertion>`,
    ),
    'protocol',
  );
  await invalid(`<evil xmlns="urn:x"/>`, 'protocol');
  await invalid(metadata, 'protocol');
});

test('metadata validates against the metadata schema, including xml:lang from xml.xsd', async () => {
  await validateSamlSchema(metadata, 'metadata');
  await invalid(metadata.replace(' entityID="https://sp.example/metadata"', ''), 'metadata');
  await invalid(metadata.replace(' xml:lang="de"', ''), 'metadata');
  await invalid(authnRequest, 'metadata');
});

test('many documents at once each get their own verdict', async () => {
  const documents = Array.from({ length: 60 }, (_, i) =>
    i % 3 === 0 ? authnRequest.replace(' ID="_a1"', '') : authnRequest.replace('_a1', `_a${i}`),
  );
  const verdicts = await Promise.all(
    documents.map((xml) =>
      validateSamlSchema(xml, 'protocol').then(
        () => 'valid',
        () => 'invalid',
      ),
    ),
  );
  assert.deepEqual(
    verdicts,
    documents.map((_, i) => (i % 3 === 0 ? 'invalid' : 'valid')),
  );
});

test('libxml2 loads no external entity, not even one of the vendored schema files', async () => {
  // Were the entity loaded, the Issuer would hold the xml.xsd schema and the error would name its XMLSchema elements.
  const withEntity = `<!DOCTYPE Issuer [<!ENTITY x SYSTEM "servicekonto-schema:/xml.xsd">]><Issuer xmlns="urn:oasis:names:tc:SAML:2.0:assertion">&x;</Issuer>`;
  await assert.rejects(
    validateSamlSchema(withEntity, 'protocol'),
    (e: unknown) => e instanceof SamlXmlError && e.code === 'schema' && !/XMLSchema|xml:lang/.test(e.message),
  );
  await validateSamlSchema(
    '<Issuer xmlns="urn:oasis:names:tc:SAML:2.0:assertion">https://sp.example</Issuer>',
    'protocol',
  );
});

test('text that is not XML is invalid, not an exception of another kind', async () => {
  await invalid('<samlp:AuthnRequest', 'protocol');
  await invalid('', 'protocol');
});
