import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildXml, fragment } from '../../platform/xml/build.ts';
import { parseSamlXml } from '../../platform/xml/parse.ts';
import { validateSamlSchema } from '../xml/schema.ts';
import { status } from '../constants.ts';
import { buildAssertion, buildResponse, newSamlId } from './build.ts';

const now = new Date('2026-11-27T10:00:00Z');
const assertionXml = () =>
  buildXml(
    buildAssertion({
      id: newSamlId(),
      issuer: 'https://konto.example/saml/metadata',
      audience: 'https://service.example/metadata',
      recipient: 'https://service.example/acs',
      inResponseTo: '_req1',
      now,
      nameId: 'abc',
      nameIdFormat: 'persistent',
      authnInstant: new Date('2026-11-27T09:58:00Z'),
      sessionIndex: '_s1',
      sessionNotOnOrAfter: new Date('2026-11-27T12:00:00Z'),
      level: 3,
      vocabulary: 'stork',
      attributes: [
        { name: 'urn:oid:2.5.4.42', value: '</saml:AttributeValue><saml:Attribute Name="x">', trustLevel: 4 },
      ],
    }),
  );

test('the assertion follows the schema and carries level, window and trust levels', async () => {
  const xml = assertionXml();
  const response = buildXml(
    buildResponse({
      id: newSamlId(),
      issuer: 'https://konto.example/saml/metadata',
      destination: 'https://service.example/acs',
      inResponseTo: '_req1',
      now,
      status: { code: status.success },
      assertion: fragment(xml),
    }),
  );
  await validateSamlSchema(response, 'protocol');
  const doc = parseSamlXml(xml);
  const root = doc.documentElement;
  assert.equal(
    root?.getElementsByTagNameNS('urn:oasis:names:tc:SAML:2.0:assertion', 'AuthnContextClassRef')[0]?.textContent,
    'STORK-QAA-Level-3',
  );
  assert.equal(
    root
      ?.getElementsByTagNameNS('urn:oasis:names:tc:SAML:2.0:assertion', 'Conditions')[0]
      ?.getAttribute('NotOnOrAfter'),
    '2026-11-27T10:05:00Z',
  );
  const attributes = root?.getElementsByTagNameNS('urn:oasis:names:tc:SAML:2.0:assertion', 'Attribute');
  assert.equal(attributes?.length, 1, 'an injection attempt stays one value');
  assert.equal(attributes?.[0]?.getAttributeNS('https://www.akdb.de/request/2018/09', 'TrustLevel'), 'HOCH');
  assert.equal(attributes?.[0]?.textContent, '</saml:AttributeValue><saml:Attribute Name="x">');
});

test('an error response carries the status codes and message only', async () => {
  const xml = buildXml(
    buildResponse({
      id: newSamlId(),
      issuer: 'https://konto.example/saml/metadata',
      destination: 'https://service.example/acs',
      inResponseTo: '_req1',
      now,
      status: {
        code: status.responder,
        subCode: status.requestDenied,
        message: 'required-attribute-missing:urn:oid:1.3.6.1.4.1.33592.1.3.5',
      },
    }),
  );
  await validateSamlSchema(xml, 'protocol');
  assert.match(xml, /RequestDenied/);
  assert.doesNotMatch(xml, /Assertion/);
});
