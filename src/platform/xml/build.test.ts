import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildXml, el, fragment } from './build.ts';
import { SamlXmlError } from './errors.ts';
import { xmlNs } from './namespaces.ts';
import { parseSamlXml } from './parse.ts';

const akdb = 'https://www.akdb.de/request/2018/09';

function attribute(value: string, name = 'urn:oid:2.5.4.42'): string {
  return buildXml(
    el(xmlNs.assertion, 'saml:AttributeStatement', { 'xmlns:akdb': akdb }, [
      el(
        xmlNs.assertion,
        'saml:Attribute',
        { Name: name, NameFormat: 'urn:oasis:names:tc:SAML:2.0:attrname-format:uri', 'akdb:TrustLevel': 'HOCH' },
        [el(xmlNs.assertion, 'saml:AttributeValue', {}, [value])],
      ),
    ]),
  );
}

const injections = [
  '</saml:AttributeValue></saml:Attribute><saml:Attribute Name="urn:oid:1.3.6.1.4.1.25484.494450.3"><saml:AttributeValue>victim',
  ']]><x/><![CDATA[',
  '--><x/><!--',
  `"' onload="x" '`,
  '&amp; &lt; & &#x41; &unknown;',
  '<?php x ?><!DOCTYPE x>',
  'line\r\nbreak\rhere',
];

test('injection attempts in a value round-trip as one text node with the same value', () => {
  for (const value of injections) {
    const doc = parseSamlXml(attribute(value));
    const attributes = doc.getElementsByTagNameNS(xmlNs.assertion, 'Attribute');
    assert.equal(attributes.length, 1, value);
    const values = doc.getElementsByTagNameNS(xmlNs.assertion, 'AttributeValue');
    assert.equal(values.length, 1);
    const node = values.item(0);
    assert.equal(node?.childNodes.length, 1, 'one text node');
    assert.equal(node?.firstChild?.nodeType, 3);
    // A parser turns CR into LF (XML 1.0 §2.11); the builder does it first, so signed and read text agree.
    assert.equal(node?.textContent, value.replace(/\r\n?/g, '\n'));
  }
});

test('injection attempts in an attribute value round-trip unchanged, CR included', () => {
  for (const value of injections) {
    const doc = parseSamlXml(attribute('x', value));
    const attributes = doc.getElementsByTagNameNS(xmlNs.assertion, 'Attribute');
    assert.equal(attributes.length, 1);
    assert.equal(attributes.item(0)?.getAttribute('Name'), value);
    assert.equal(attributes.item(0)?.attributes.length, 3);
  }
});

test('values outside XML Char are refused, not dropped', () => {
  for (const value of ['\u0001', 'a\u0000b', '\uD800', '\uFFFF']) {
    assert.throws(
      () => attribute(value),
      (e: unknown) => e instanceof SamlXmlError && e.code === 'invalid_char',
    );
    assert.throws(
      () => attribute('x', value),
      (e: unknown) => e instanceof SamlXmlError && e.code === 'invalid_char',
    );
  }
});

test('namespaces: prefixed attributes resolve through declarations; unknown prefixes are a programming error', () => {
  const doc = parseSamlXml(attribute('Erika'));
  const element = doc.getElementsByTagNameNS(xmlNs.assertion, 'Attribute').item(0);
  assert.equal(element?.getAttributeNS(akdb, 'TrustLevel'), 'HOCH');
  assert.throws(() => buildXml(el(xmlNs.assertion, 'saml:Issuer', { 'x:y': '1' })), /prefix x is not bound/);
  assert.throws(() => buildXml(el(xmlNs.assertion, 'saml:Issuer', { 'bad name': '1' })));
  assert.throws(() => buildXml(el(xmlNs.assertion, 'saml:Iss uer')));
  const lang = parseSamlXml(
    buildXml(el(xmlNs.metadata, 'md:OrganizationName', { 'xml:lang': 'de' }, ['Servicekonto'])),
  );
  assert.equal(lang.documentElement?.getAttributeNS(xmlNs.xml, 'lang'), 'de');
});

test('optional children and attributes are skipped; fragments are embedded as parsed nodes', () => {
  const inner = buildXml(
    el(xmlNs.assertion, 'saml:Assertion', { ID: '_x' }, [
      el(xmlNs.assertion, 'saml:Issuer', {}, ['https://idp.example']),
    ]),
  );
  const xml = buildXml(
    el(xmlNs.protocol, 'samlp:Response', { ID: '_r', InResponseTo: undefined }, [
      null,
      false,
      undefined,
      fragment(inner),
    ]),
  );
  const doc = parseSamlXml(xml);
  assert.equal(doc.documentElement?.hasAttribute('InResponseTo'), false);
  assert.equal(doc.getElementsByTagNameNS(xmlNs.assertion, 'Assertion').item(0)?.getAttribute('ID'), '_x');
  assert.throws(() => fragment('<a/><b/>'), SamlXmlError);
});
