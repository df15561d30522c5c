import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testKey } from '../../../test/helpers/saml-keys.ts';
import { opensslVerifyEnvelopedSignature, xmlsecVerify, type SignedElementName } from '../../../test/helpers/xmlsec.ts';
import { buildXml, el, type XmlElement } from '../../platform/xml/build.ts';
import { xmlNs } from '../../platform/xml/namespaces.ts';
import { parseSamlXml } from '../../platform/xml/parse.ts';
import { validateSamlSchema } from '../xml/schema.ts';
import { c14nCorpus } from '../../platform/xml/c14n-corpus.ts';
import { signBuiltElement, signRootElement } from './sign-element.ts';

const issuer = () => el(xmlNs.assertion, 'saml:Issuer', {}, ['https://idp.example/saml/metadata']);
const common = { Version: '2.0', IssueInstant: '2026-01-01T00:00:00Z' };

const messages: Record<Exclude<SignedElementName, 'AuthnRequest'>, string> = {
  Response: buildXml(
    el(
      xmlNs.protocol,
      'samlp:Response',
      {
        'xmlns:saml': xmlNs.assertion,
        ID: '_r1',
        ...common,
        Destination: 'https://sp.example/acs',
        InResponseTo: '_q1',
      },
      [
        issuer(),
        el(xmlNs.protocol, 'samlp:Status', {}, [
          el(xmlNs.protocol, 'samlp:StatusCode', { Value: 'urn:oasis:names:tc:SAML:2.0:status:Success' }),
        ]),
      ],
    ),
  ),
  Assertion: buildXml(
    el(xmlNs.assertion, 'saml:Assertion', { ID: '_a1', ...common }, [
      issuer(),
      el(xmlNs.assertion, 'saml:Subject', {}, [
        el(xmlNs.assertion, 'saml:NameID', { Format: 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient' }, ['n-1']),
      ]),
    ]),
  ),
  LogoutRequest: buildXml(
    el(xmlNs.protocol, 'samlp:LogoutRequest', { 'xmlns:saml': xmlNs.assertion, ID: '_l1', ...common }, [
      issuer(),
      el(xmlNs.assertion, 'saml:NameID', {}, ['n-1']),
      el(xmlNs.protocol, 'samlp:SessionIndex', {}, ['s-1']),
    ]),
  ),
  LogoutResponse: buildXml(
    el(
      xmlNs.protocol,
      'samlp:LogoutResponse',
      { 'xmlns:saml': xmlNs.assertion, ID: '_lr1', ...common, InResponseTo: '_l1' },
      [
        issuer(),
        el(xmlNs.protocol, 'samlp:Status', {}, [
          el(xmlNs.protocol, 'samlp:StatusCode', { Value: 'urn:oasis:names:tc:SAML:2.0:status:Success' }),
        ]),
      ],
    ),
  ),
  EntityDescriptor: buildXml(
    el(xmlNs.metadata, 'md:EntityDescriptor', { ID: '_m1', entityID: 'https://idp.example/saml/metadata' }, [
      el(xmlNs.metadata, 'md:IDPSSODescriptor', { protocolSupportEnumeration: xmlNs.protocol }, [
        el(xmlNs.metadata, 'md:SingleSignOnService', {
          Binding: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST',
          Location: 'https://idp.example/saml/sso',
        }),
      ]),
    ]),
  ),
};

test('xmlsec1 verifies the RSA-SHA256 signature on every root we sign, placed where the schema wants it', async () => {
  const key = await testKey('idp');
  for (const [name, xml] of Object.entries(messages) as [keyof typeof messages, string][]) {
    const signed = signRootElement(xml, key);
    await xmlsecVerify(signed, key.certificatePem, name);
    await validateSamlSchema(signed, name === 'EntityDescriptor' ? 'metadata' : 'protocol').catch((error: unknown) => {
      // The protocol schema has no global Assertion element; an assertion is checked inside a Response.
      if (name !== 'Assertion') throw error;
    });
    const root = parseSamlXml(signed).documentElement;
    const children = [...Array.from(root?.childNodes ?? [])].filter((n) => n.nodeType === 1) as Element[];
    const position = children.findIndex((c) => c.localName === 'Signature' && c.namespaceURI === xmlNs.dsig);
    assert.equal(position, name === 'EntityDescriptor' ? 0 : 1, `${name}: Signature right after Issuer`);
    const reference = root?.getElementsByTagNameNS(xmlNs.dsig, 'Reference').item(0);
    assert.equal(reference?.getAttribute('URI'), `#${root?.getAttribute('ID') ?? ''}`);
    assert.ok(signed.includes('<ds:X509Certificate>'), 'KeyInfo carries the certificate');
  }
});

test('xmlsec1 refuses our signature with another certificate and after a change to the signed content', async () => {
  const key = await testKey('idp');
  const other = await testKey('other');
  const signed = signRootElement(messages.LogoutRequest, key);
  await assert.rejects(xmlsecVerify(signed, other.certificatePem, 'LogoutRequest'));
  await assert.rejects(xmlsecVerify(signed.replace('n-1', 'n-2'), key.certificatePem, 'LogoutRequest'));
});

test('xmlsec1 verifies ECDSA P-256 signatures (r ‖ s, XMLDSig 1.1)', async () => {
  const key = await testKey('idp-ec', 'EC-P256');
  for (const name of ['Response', 'Assertion', 'EntityDescriptor'] as const) {
    const signed = signRootElement(messages[name], key, 'ecdsa-sha256');
    assert.ok(signed.includes('xmldsig-more#ecdsa-sha256'));
    await xmlsecVerify(signed, key.certificatePem, name);
    assert.ok(await opensslVerifyEnvelopedSignature(signed, key.certificatePem, 'ecdsa-sha256'));
  }
});

test('RSASSA-PSS signatures verify with openssl over libxml2 C14N (xmlsec1 1.2.x does not know sha256-rsa-MGF1)', async () => {
  const key = await testKey('idp');
  const signed = signRootElement(messages.Response, key, 'rsa-pss-sha256');
  assert.ok(signed.includes('2007/05/xmldsig-more#sha256-rsa-MGF1'));
  assert.ok(await opensslVerifyEnvelopedSignature(signed, key.certificatePem, 'rsa-pss-sha256'));
  assert.equal(
    await opensslVerifyEnvelopedSignature(signed.replace('_q1', '_q2'), key.certificatePem, 'rsa-pss-sha256'),
    false,
  );
  assert.ok(
    await opensslVerifyEnvelopedSignature(signRootElement(messages.Response, key), key.certificatePem, 'rsa-sha256'),
    'the openssl path also accepts the default',
  );
});

test('a key that does not fit the algorithm, a root we do not sign, or one without ID or Issuer is refused', async () => {
  const rsa = await testKey('idp');
  const ec = await testKey('idp-ec', 'EC-P256');
  assert.throws(() => signRootElement(messages.Response, ec, 'rsa-sha256'));
  assert.throws(() => signRootElement(messages.Response, rsa, 'ecdsa-sha256'));
  assert.throws(() => signRootElement('<x:Other xmlns:x="urn:x" ID="_1"/>', rsa), /cannot sign/);
  assert.throws(() => signRootElement(messages.Response.replace(' ID="_r1"', ''), rsa), /no ID/);
  assert.throws(
    () => signRootElement(buildXml(el(xmlNs.protocol, 'samlp:LogoutResponse', { ID: '_x', ...common })), rsa),
    /Issuer/,
  );
});

test('a built element is signed exactly as its serialization would be, with the same checks read from the spec', async () => {
  const rsa = await testKey('idp');
  const assertion = el(xmlNs.assertion, 'saml:Assertion', { ID: '_b1', ...common }, [
    issuer(),
    el(xmlNs.assertion, 'saml:Subject', {}, [el(xmlNs.assertion, 'saml:NameID', {}, ['n-2'])]),
  ]);
  const signed = signBuiltElement(assertion, rsa);
  assert.equal(signed.root, 'Assertion');
  await xmlsecVerify(signed.xml, rsa.certificatePem, 'Assertion');
  await validateSamlSchema(signed.xml, 'protocol');
  // The Signature follows the Issuer, as with signRootElement.
  const children = parseSamlXml(signed.xml).documentElement?.childNodes;
  assert.deepEqual(
    Array.from({ length: children?.length ?? 0 }, (_, i) => (children?.item(i) as Element).localName),
    ['Issuer', 'Signature', 'Subject'],
  );

  assert.throws(() => signBuiltElement(el('urn:x', 'x:Other', { ID: '_1' }), rsa), /cannot sign/);
  assert.throws(
    () => signBuiltElement(el(xmlNs.protocol, 'saml:Assertion', { ID: '_1' }, [issuer()]), rsa),
    /cannot sign/,
    'the namespace counts, not the prefix',
  );
  assert.throws(() => signBuiltElement(el(xmlNs.assertion, 'saml:Assertion', common, [issuer()]), rsa), /no ID/);
  assert.throws(
    () =>
      signBuiltElement(
        el(xmlNs.protocol, 'samlp:LogoutResponse', { ID: '_x', ...common }, [null, el(xmlNs.protocol, 'samlp:Status')]),
        rsa,
      ),
    /Issuer/,
  );
  assert.throws(
    () =>
      signBuiltElement(el(xmlNs.protocol, 'samlp:LogoutResponse', { ID: '_x', ...common }, ['text', issuer()]), rsa),
    /Issuer/,
  );
});

test('signing a spec gives the bytes xml-crypto gives for its text, and xmlsec1 verifies both signatures of a Response', async () => {
  const rsa = await testKey('idp');
  for (const name of ['assertion', 'response with an assertion inside', 'metadata with xml:lang'] as const) {
    const spec = c14nCorpus[name];
    assert.ok(spec);
    const fromSpec = signBuiltElement(spec, rsa);
    // RSA PKCS#1 v1.5 is deterministic, so the whole document must agree.
    assert.equal(fromSpec.xml, signRootElement(buildXml(spec), rsa), name);
    assert.ok(fromSpec.spec, 'the signed spec is kept for embedding');
  }
  const assertion = signBuiltElement(c14nCorpus.assertion as XmlElement, rsa);
  const response = signBuiltElement(
    el(xmlNs.protocol, 'samlp:Response', { 'xmlns:saml': xmlNs.assertion, ID: '_r9', ...common }, [
      issuer(),
      el(xmlNs.protocol, 'samlp:Status', {}, [
        el(xmlNs.protocol, 'samlp:StatusCode', { Value: 'urn:oasis:names:tc:SAML:2.0:status:Success' }),
      ]),
      assertion.spec,
    ]),
    rsa,
  );
  await xmlsecVerify(response.xml, rsa.certificatePem, 'Response');
  await xmlsecVerify(response.xml, rsa.certificatePem, 'Assertion');
  await assert.rejects(xmlsecVerify(response.xml.replace('Erika', 'Erica'), rsa.certificatePem, 'Assertion'));
  await assert.rejects(xmlsecVerify(response.xml.replace('Erika', 'Erica'), rsa.certificatePem, 'Response'));
});

test('PSS and ECDSA signatures made from a spec verify with libxml2 C14N and openssl, and ECDSA with xmlsec1', async () => {
  const rsa = await testKey('idp');
  const ec = await testKey('idp-ec', 'EC-P256');
  const spec = c14nCorpus['response with an assertion inside'] as XmlElement;
  const pss = signBuiltElement(spec, rsa, 'rsa-pss-sha256').xml;
  assert.ok(await opensslVerifyEnvelopedSignature(pss, rsa.certificatePem, 'rsa-pss-sha256'));
  const ecdsa = signBuiltElement(spec, ec, 'ecdsa-sha256').xml;
  assert.ok(await opensslVerifyEnvelopedSignature(ecdsa, ec.certificatePem, 'ecdsa-sha256'));
  await xmlsecVerify(ecdsa, ec.certificatePem, 'Response');
  assert.throws(() => signBuiltElement(spec, ec, 'rsa-sha256'));
});
