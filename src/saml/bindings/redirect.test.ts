import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deflateRawSync } from 'node:zlib';
import { SamlBindingError } from './errors.ts';
import { decodeRedirectMessage, deflateEncoding, encodeRedirectMessage, readRedirectQuery } from './redirect.ts';

const xml = '<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_ä1"/>';
const code = (expected: string) => (error: unknown) => error instanceof SamlBindingError && error.code === expected;

test('encode and decode round-trip, UTF-8 included', () => {
  const encoded = encodeRedirectMessage(xml);
  assert.equal(decodeRedirectMessage(encoded), xml);
  const query = readRedirectQuery(
    `SAMLRequest=${encodeURIComponent(encoded)}&RelayState=${encodeURIComponent('state 1/2')}`,
  );
  assert.equal(query.kind, 'SAMLRequest');
  assert.equal(decodeRedirectMessage(query.message), xml);
  assert.equal(query.relayState, 'state 1/2');
  assert.equal(query.signedOctets, undefined, 'unsigned');
});

test('a deflate bomb stops at the output cap', () => {
  const bomb = deflateRawSync(Buffer.alloc(50 * 1024 * 1024, 0x20)).toString('base64');
  assert.ok(bomb.length < 100 * 1024);
  assert.throws(
    () => decodeRedirectMessage(bomb, 1024 * 1024),
    code('too_large'),
    'the base64 itself fits the cap, its output does not',
  );
  assert.throws(
    () => decodeRedirectMessage(deflateRawSync(Buffer.alloc(65 * 1024, 0x20)).toString('base64')),
    code('too_large'),
  );
});

test('bad base64, bad deflate and bad UTF-8 are refused, not repaired', () => {
  assert.throws(() => decodeRedirectMessage('not base64!'), code('base64'));
  assert.throws(() => decodeRedirectMessage('QUJD*RA=='), code('base64'));
  assert.throws(() => decodeRedirectMessage(''), code('base64'));
  assert.throws(
    () => decodeRedirectMessage(Buffer.from('plain text, not deflated').toString('base64')),
    code('inflate'),
  );
  assert.throws(
    () => decodeRedirectMessage(deflateRawSync(Buffer.from([0x3c, 0xff, 0xfe, 0x3e])).toString('base64')),
    code('encoding'),
  );
});

test('the query: one message, no duplicates, the DEFLATE encoding only, size caps', () => {
  const m = encodeURIComponent(encodeRedirectMessage(xml));
  assert.throws(() => readRedirectQuery(''), code('missing_message'));
  assert.throws(() => readRedirectQuery(`SAMLRequest=${m}&SAMLResponse=${m}`), code('both_messages'));
  assert.throws(() => readRedirectQuery(`SAMLRequest=${m}&SAMLRequest=${m}`), code('duplicate_parameter'));
  assert.throws(
    () => readRedirectQuery(`SAMLRequest=${m}&Relay%53tate=a&RelayState=b`),
    code('duplicate_parameter'),
    'names are compared decoded',
  );
  assert.throws(() => readRedirectQuery(`SAMLRequest=${m}&SAMLEncoding=urn:other`), code('unsupported_encoding'));
  assert.equal(
    readRedirectQuery(`SAMLRequest=${m}&SAMLEncoding=${encodeURIComponent(deflateEncoding)}`).kind,
    'SAMLRequest',
  );
  assert.throws(() => readRedirectQuery(`SAMLRequest=${'A'.repeat(13 * 1024)}`), code('too_large'));
  assert.throws(() => readRedirectQuery(`SAMLRequest=${m}&RelayState=${'r'.repeat(513)}`), code('relay_state'));
  assert.throws(() => readRedirectQuery(`SAMLRequest=${m}&RelayState=%01`), code('relay_state'));
  assert.throws(() => readRedirectQuery(`SAMLRequest=${m}&RelayState=%E0%A4%A`), code('encoding'));
  assert.throws(() => readRedirectQuery(`SAMLRequest=${m}&SigAlg=x`), code('signature_parameters'));
  assert.throws(() => readRedirectQuery(`SAMLRequest=${m}&Signature=x`), code('signature_parameters'));
  assert.equal(
    readRedirectQuery(`SAMLResponse=${m}&unrelated=1&unrelated=2`).kind,
    'SAMLResponse',
    'parameters outside the binding are ignored',
  );
});

test('signed octets are cut from the raw query in the order of Bindings §3.4.4.1, whatever the URL order', () => {
  const query = readRedirectQuery(
    'Signature=c2ln&SigAlg=http%3A%2F%2Fexample%2Fa&RelayState=a%2fb+c&SAMLRequest=AB%2BC',
  );
  assert.equal(
    query.signedOctets,
    'SAMLRequest=AB%2BC&RelayState=a%2fb+c&SigAlg=http%3A%2F%2Fexample%2Fa',
    'values exactly as received, lower-case escapes included',
  );
  assert.equal(query.message, 'AB+C');
  assert.equal(query.relayState, 'a/b c');
  assert.equal(query.sigAlg, 'http://example/a');
  assert.equal(readRedirectQuery('SAMLRequest=AB+C').message, 'AB+C', 'a literal + in base64 stays a +');
});
