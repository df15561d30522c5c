import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ExclusiveCanonicalization } from 'xml-crypto';
import { xmllintExcC14n } from '../../../test/helpers/xmlsec.ts';
import { buildDocument, serializeXml, type XmlElement } from './build.ts';
import { c14nCorpus } from './c14n-corpus.ts';
import { exclusiveC14n } from './exc-c14n.ts';
import { parseSamlXml } from './parse.ts';

/** The spec through xmldom's DOM, as buildXml wrote every document before it wrote them directly (write.ts). */
const throughDom = (spec: XmlElement) => serializeXml(buildDocument(spec));

/** What xml-crypto computes for the element after a parse of the text we send. */
function xmlCryptoC14n(element: Element): string {
  return new ExclusiveCanonicalization().process(element, {}) as string;
}

test('the canonical form of every corpus spec equals xml-crypto’s of its parsed text', () => {
  for (const [name, spec] of Object.entries(c14nCorpus)) {
    const root = parseSamlXml(throughDom(spec)).documentElement;
    assert.ok(root);
    assert.equal(exclusiveC14n(spec), xmlCryptoC14n(root), name);
  }
});

test('the canonical form of every corpus spec equals libxml2’s (xmllint --exc-c14n), byte for byte', async () => {
  for (const [name, spec] of Object.entries(c14nCorpus)) {
    const libxml2 = await xmllintExcC14n(throughDom(spec));
    assert.equal(Buffer.from(exclusiveC14n(spec), 'utf8').toString('hex'), libxml2.toString('hex'), name);
  }
});

test('an element inside another is canonicalized as verifiers do it in place: exclusive C14N ignores the ancestors', () => {
  const response = c14nCorpus['response with an assertion inside'];
  assert.ok(response);
  const inner = response.children.find(
    (child): child is XmlElement =>
      typeof child === 'object' && child !== null && child.kind === 'element' && child.name === 'saml:Assertion',
  );
  assert.ok(inner);
  const parsed = parseSamlXml(throughDom(response)).getElementsByTagNameNS(inner.ns, 'Assertion').item(0);
  assert.ok(parsed);
  assert.equal(exclusiveC14n(inner), xmlCryptoC14n(parsed));
});

test('what the canonical form looks like: declarations where used, sorted attributes, C14N escapes, no empty tags', () => {
  const assertion = exclusiveC14n(c14nCorpus.assertion as XmlElement);
  // xs is only named in a value (xsi:type="xs:string"): exclusive C14N does not render it.
  assert.ok(!assertion.includes('xmlns:xs='));
  assert.ok(assertion.startsWith('<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_a1"'));
  assert.match(
    assertion,
    /<saml:Attribute xmlns:akdb="[^"]+" Name="urn:oid:0" NameFormat="[^"]+" akdb:TrustLevel="HOCH">/,
  );
  assert.ok(
    assertion.includes(
      '<saml:SubjectConfirmationData InResponseTo="_q" Recipient="https://sp/acs?a=1&amp;b=2"></saml:SubjectConfirmationData>',
    ),
  );
  assert.ok(assertion.includes('>a &amp; b &lt; c &gt; d " e \' f\tg\nh\ni\nj ]]&gt; k<'), 'text: CR was read as LF');
  const special = exclusiveC14n(c14nCorpus['special characters in attributes and text'] as XmlElement);
  assert.ok(special.includes(' a="a &amp; b &lt; c > d &quot; e \' f&#x9;g&#xA;h&#xD;i&#xD;&#xA;j ]]> k"'));
  assert.ok(special.includes('<x:empty></x:empty>'));
});
