import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildDocument, el, fragment, serializeXml, type XmlElement } from './build.ts';
import { c14nCorpus } from './c14n-corpus.ts';
import { SamlXmlError } from './errors.ts';
import { xmlNs } from './namespaces.ts';
import { parseSamlXml } from './parse.ts';
import { hasFragment, writeXml } from './write.ts';

/** The spec through xmldom's DOM, as buildXml wrote every document before it wrote them directly (write.ts). */
const throughDom = (spec: XmlElement) => serializeXml(buildDocument(spec));

test('writeXml gives the bytes xmldom gives for every corpus spec once parsed (as xml-crypto wrote signed ones)', () => {
  for (const [name, spec] of Object.entries(c14nCorpus)) {
    assert.equal(writeXml(spec), serializeXml(parseSamlXml(throughDom(spec))), name);
    // Only an empty text node (`<x></x>` from the DOM, `<x/>` after a parse) tells buildXml's own bytes apart.
    assert.equal(writeXml(spec), throughDom(spec).replace(/<([\w:]+)((?:\s[^<>]*[^<>/])?)><\/\1>/g, '<$1$2/>'), name);
  }
});

test('writeXml refuses what buildXml refuses', () => {
  const invalid = (e: unknown) => e instanceof SamlXmlError && e.code === 'invalid_char';
  for (const value of ['\u0001', 'a\u0000b', '\uD800', '\uFFFF']) {
    assert.throws(() => writeXml(el(xmlNs.assertion, 'saml:Issuer', {}, [value])), invalid);
    assert.throws(() => writeXml(el(xmlNs.assertion, 'saml:Issuer', { Name: value })), invalid);
  }
  assert.throws(() => writeXml(el(xmlNs.assertion, 'saml:Issuer', { 'x:y': '1' })), /prefix x is not bound/);
  assert.throws(() => writeXml(el(xmlNs.assertion, 'saml:Issuer', { 'bad name': '1' })));
  assert.throws(() => writeXml(el(xmlNs.assertion, 'saml:Iss uer')));
  assert.throws(() => writeXml(el(xmlNs.assertion, 'saml:Issuer', { xmlns: 'urn:x' })), /default namespace/);
  assert.throws(() => writeXml(el(xmlNs.assertion, 'Issuer')), /prefix/);
});

test('parsed fragments are left to buildXml', () => {
  const withFragment = el(xmlNs.protocol, 'samlp:Response', {}, [
    el(xmlNs.assertion, 'saml:Issuer', {}, [fragment('<x:y xmlns:x="urn:x"/>')]),
  ]);
  assert.equal(hasFragment(withFragment), true);
  assert.equal(hasFragment(c14nCorpus.assertion ?? el('', 'x')), false);
  assert.throws(() => writeXml(withFragment), /fragments/);
});
