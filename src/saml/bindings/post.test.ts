import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deflateRawSync } from 'node:zlib';
import { parse } from 'node-html-parser';
import { SamlBindingError } from './errors.ts';
import { decodePostMessage, encodePostMessage, postLimits, readSamlPostForm, renderPostForm } from './post.ts';

const code = (expected: string) => (error: unknown) => error instanceof SamlBindingError && error.code === expected;
const xml = '<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_ö"/>';

test('a posted request or response is read with its RelayState and decoded', () => {
  const form = readSamlPostForm({ SAMLRequest: encodePostMessage(xml), RelayState: 'r1', other: 'ignored' });
  assert.deepEqual(form, { kind: 'SAMLRequest', message: encodePostMessage(xml), relayState: 'r1' });
  assert.equal(decodePostMessage(form.message), xml);
  assert.equal(readSamlPostForm({ SAMLResponse: 'QUJD' }).kind, 'SAMLResponse');
  assert.equal(
    decodePostMessage(`${encodePostMessage(xml).slice(0, 8)}\r\n${encodePostMessage(xml).slice(8)}`),
    xml,
    'wrapped base64',
  );
});

test('a deflated POST message (what node-saml 5.1.0 sends) is inflated under the cap; other bytes are not guessed at', () => {
  assert.equal(decodePostMessage(deflateRawSync(Buffer.from(xml)).toString('base64')), xml);
  assert.equal(
    decodePostMessage(Buffer.from(`\uFEFF \n${xml}`).toString('base64')),
    ` \n${xml}`,
    'BOM and leading blanks: plain XML',
  );
  assert.throws(
    () => decodePostMessage(deflateRawSync(Buffer.alloc(10 * 1024 * 1024, 0x20)).toString('base64')),
    code('too_large'),
  );
  assert.throws(() => decodePostMessage(Buffer.from('no xml, no deflate').toString('base64')), code('inflate'));
});

test('repeated fields, both or no message, oversize values and bad encodings are refused', () => {
  assert.throws(() => readSamlPostForm({ SAMLRequest: ['a', 'b'] }), code('duplicate_parameter'));
  assert.throws(() => readSamlPostForm({ SAMLRequest: 'QUJD', RelayState: ['a', 'b'] }), code('duplicate_parameter'));
  assert.throws(() => readSamlPostForm({ SAMLRequest: 'QUJD', SAMLResponse: 'QUJD' }), code('both_messages'));
  assert.throws(() => readSamlPostForm({}), code('missing_message'));
  assert.throws(() => readSamlPostForm(undefined), code('missing_message'));
  assert.throws(() => readSamlPostForm({ SAMLRequest: '' }), code('missing_message'));
  assert.throws(
    () => readSamlPostForm({ SAMLRequest: 'A'.repeat(postLimits.maxMessageLength + 1) }),
    code('too_large'),
  );
  assert.ok(readSamlPostForm({ SAMLRequest: 'A'.repeat(postLimits.maxMessageLength) }), '60,000 characters pass');
  assert.throws(() => readSamlPostForm({ SAMLRequest: 'QUJD', RelayState: 'r'.repeat(513) }), code('relay_state'));
  assert.throws(() => readSamlPostForm({ SAMLRequest: 'QUJD', RelayState: 'a\u0000' }), code('relay_state'));
  assert.throws(() => decodePostMessage('QUJD!'), code('base64'));
  assert.throws(() => decodePostMessage(Buffer.from([0x3c, 0xc3, 0x28]).toString('base64')), code('encoding'));
});

test('the auto-post page: hidden fields escaped, an external script, a noscript button, no inline script', () => {
  const hostile = '"><script>alert(1)</script>';
  const page = renderPostForm(
    { action: 'https://sp.example/acs?a=1&b="2"', fields: { SAMLResponse: 'PHNhbWw+', RelayState: hostile } },
    { title: 'Weiterleitung', continueLabel: 'Weiter', noscriptHint: 'Ohne JavaScript bitte hier klicken.' },
  ).value;
  const root = parse(page);
  const form = root.querySelector('form[data-saml-post]');
  assert.equal(form?.getAttribute('action'), 'https://sp.example/acs?a=1&b="2"');
  assert.equal(form?.getAttribute('method'), 'post');
  assert.equal(
    root.querySelector('input[name=RelayState]')?.getAttribute('value'),
    hostile,
    'escaped in, identical out',
  );
  assert.equal(root.querySelector('input[name=SAMLResponse]')?.getAttribute('value'), 'PHNhbWw+');
  const scripts = root.querySelectorAll('script');
  assert.equal(scripts.length, 1);
  assert.match(scripts[0]?.getAttribute('src') ?? '', /^\/static\/saml-post\.[0-9a-f]{10}\.js$/);
  assert.equal(scripts[0]?.text, '', 'nothing inline');
  assert.match(
    root.querySelector('noscript')?.innerHTML ?? '',
    /<button class="kern-btn kern-btn--primary" type="submit"><span class="kern-label">Weiter<\/span><\/button>/,
  );
  assert.equal(root.querySelector('h1')?.text, 'Weiterleitung');
});
