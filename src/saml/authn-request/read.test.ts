import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DOMParser } from '@xmldom/xmldom';
import { readAuthnRequest } from './read.ts';

/** A BundID-style request after PROFILES.md §1: level, AKDB methods, attributes and display information. */
export const bundIdRequest = (
  extra = '',
  root = '',
) => `<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"
  ID="_a1b2c3" Version="2.0" IssueInstant="2026-11-27T10:00:00Z" Destination="https://konto.example/saml/sso"
  AssertionConsumerServiceURL="https://service.example/acs" ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"${root}>
  <saml:Issuer>https://service.example/metadata</saml:Issuer>
  <samlp:Extensions>
    <akdb:AuthenticationRequest xmlns:akdb="https://www.akdb.de/request/2018/09" Version="2">
      <akdb:AuthnMethods><akdb:Benutzername><akdb:Enabled>true</akdb:Enabled></akdb:Benutzername><akdb:eID><akdb:Enabled>false</akdb:Enabled></akdb:eID></akdb:AuthnMethods>
      <akdb:RequestedAttributes>
        <akdb:RequestedAttribute Name="urn:oid:2.5.4.42" RequiredAttribute="true"/>
        <akdb:RequestedAttribute Name="urn:oid:1.3.6.1.4.1.25484.494450.3"/>
      </akdb:RequestedAttributes>
      <akdb:DisplayInformation><classic-ui:Version xmlns:classic-ui="https://www.akdb.de/request/2018/09/classic-ui/v1">
        <classic-ui:OrganizationDisplayName>Stadt <!-- c -->Musterstadt</classic-ui:OrganizationDisplayName>
        <classic-ui:Lang>en</classic-ui:Lang><classic-ui:BackURL>https://service.example/back</classic-ui:BackURL>
        <classic-ui:OnlineServiceID>BMI-4711</classic-ui:OnlineServiceID>
      </classic-ui:Version></akdb:DisplayInformation>
    </akdb:AuthenticationRequest>
  </samlp:Extensions>
  <samlp:NameIDPolicy Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent" AllowCreate="true"/>
  <samlp:RequestedAuthnContext Comparison="minimum"><saml:AuthnContextClassRef>STORK-QAA-Level-3</saml:AuthnContextClassRef></samlp:RequestedAuthnContext>
  ${extra}
</samlp:AuthnRequest>`;

const read = (xml: string) => readAuthnRequest(new DOMParser().parseFromString(xml, 'text/xml'));

test('a BundID-style request is read field by field', () => {
  const result = read(bundIdRequest());
  assert.ok(result.ok);
  const f = result.fields;
  assert.equal(f.id, '_a1b2c3');
  assert.equal(f.issuer, 'https://service.example/metadata');
  assert.equal(f.acsUrl, 'https://service.example/acs');
  assert.equal(f.nameIdFormat, 'persistent');
  assert.deepEqual(f.classRefs, ['STORK-QAA-Level-3']);
  assert.equal(f.comparison, 'minimum');
  assert.deepEqual(f.akdb?.enabledMethods, ['Benutzername']);
  assert.deepEqual(f.akdb?.requestedAttributes, [
    { name: 'urn:oid:2.5.4.42', required: true },
    { name: 'urn:oid:1.3.6.1.4.1.25484.494450.3', required: false },
  ]);
  assert.equal(f.akdb?.display?.organizationDisplayName, 'Stadt Musterstadt', 'a comment does not cut the text');
  assert.equal(f.akdb?.display?.onlineServiceId, 'BMI-4711', 'the OnlineServiceID spelling is read too');
  assert.equal(f.akdb?.display?.lang, 'en');
});

test('what the profile does not allow is refused', () => {
  assert.deepEqual(read(bundIdRequest('<saml:Subject><saml:NameID>victim</saml:NameID></saml:Subject>')), {
    ok: false,
    problem: 'subject',
  });
  assert.deepEqual(read(bundIdRequest('', ' ForceAuthn="maybe"')), { ok: false, problem: 'boolean' });
  assert.deepEqual(read(bundIdRequest().replace('HTTP-POST"', 'HTTP-Artifact"')), {
    ok: false,
    problem: 'protocol_binding',
  });
  assert.deepEqual(read(bundIdRequest().replace('<saml:Issuer>', '<saml:Issuer>x</saml:Issuer><saml:Issuer>')), {
    ok: false,
    problem: 'issuer',
  });
  assert.deepEqual(read(bundIdRequest().replace('</samlp:Extensions>', '</samlp:Extensions><samlp:Extensions/>')), {
    ok: false,
    problem: 'duplicate',
  });
  assert.deepEqual(read(bundIdRequest().replace('ID="_a1b2c3"', 'ID="1-not-an-ncname"')), { ok: false, problem: 'id' });
  assert.deepEqual(read(bundIdRequest().replace('BMI-4711', 'BMI 4711 <b>')), {
    ok: false,
    problem: 'akdb_online_service_id',
  });
});

test('an unknown NameID format is flagged for InvalidNameIDPolicy', () => {
  const result = read(
    bundIdRequest()
      .replace('nameid-format:persistent', 'nameid-format:emailAddress')
      .replace('SAML:2.0:nameid-format:emailAddress', 'SAML:1.1:nameid-format:emailAddress'),
  );
  assert.ok(result.ok);
  assert.equal(result.fields.nameIdFormat, 'unsupported');
});
