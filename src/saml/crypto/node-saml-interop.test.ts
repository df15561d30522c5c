// What a real service sends: @node-saml/node-saml 5.1.0 (the library behind
// the BundID integrations, plan §2.1) signs AuthnRequests for both bindings,
// and our verifiers accept them as they come.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SAML } from '@node-saml/node-saml';
import { parse } from 'node-html-parser';
import { testKey } from '../../../test/helpers/saml-keys.ts';
import { decodePostMessage } from '../bindings/post.ts';
import { decodeRedirectMessage, readRedirectQuery } from '../bindings/redirect.ts';
import { validateSamlSchema } from '../xml/schema.ts';
import { isSigned, verifySignedMessage } from './verify-element.ts';
import { verifyRedirectSignature } from './verify-query.ts';

async function serviceProvider(
  binding: 'HTTP-POST' | 'HTTP-Redirect',
): Promise<{ saml: SAML; certificatePem: string }> {
  const sp = await testKey('sp');
  const idp = await testKey('idp');
  const saml = new SAML({
    callbackUrl: 'https://sp.example/acs',
    entryPoint: 'https://idp.example/saml/sso',
    issuer: 'https://sp.example/metadata',
    idpCert: idp.certificatePem,
    privateKey: sp.privateKeyPem,
    signatureAlgorithm: 'sha256',
    digestAlgorithm: 'sha256',
    authnRequestBinding: binding,
    identifierFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient',
    racComparison: 'minimum',
    authnContext: ['STORK-QAA-Level-3'],
  });
  return { saml, certificatePem: sp.certificatePem };
}

test('a node-saml AuthnRequest signed for HTTP-POST (deflated, as node-saml sends it) verifies and is schema-valid', async () => {
  const { saml, certificatePem } = await serviceProvider('HTTP-POST');
  const page = parse(await saml.getAuthorizeFormAsync('relay-1'));
  const message = page.querySelector('input[name=SAMLRequest]')?.getAttribute('value') ?? '';
  const xml = decodePostMessage(message);
  assert.equal(isSigned(xml), true);
  await validateSamlSchema(xml, 'protocol');
  const verified = verifySignedMessage(xml, [certificatePem]);
  assert.equal(verified.root.localName, 'AuthnRequest');
  assert.equal(verified.root.getAttribute('AssertionConsumerServiceURL'), 'https://sp.example/acs');
});

test('a node-saml AuthnRequest signed for HTTP-Redirect verifies over the raw query', async () => {
  const { saml, certificatePem } = await serviceProvider('HTTP-Redirect');
  const url = new URL(await saml.getAuthorizeUrlAsync('https://sp.example/app/2?x=ä', undefined, {}));
  const query = readRedirectQuery(url.search.slice(1));
  assert.equal(query.relayState, 'https://sp.example/app/2?x=ä');
  assert.equal(verifyRedirectSignature(query, [certificatePem]).algorithm, 'rsa-sha256');
  const xml = decodeRedirectMessage(query.message);
  assert.equal(isSigned(xml), false, 'no embedded signature in the Redirect binding');
  await validateSamlSchema(xml, 'protocol');
});

test('node-saml signs querystring encoding but sends URLSearchParams encoding: a RelayState with a space still verifies, a changed one does not', async () => {
  // querystring writes a space as %20 and URLSearchParams as +; the same goes for ! ' ( ) ~.
  const { saml, certificatePem } = await serviceProvider('HTTP-Redirect');
  const url = new URL(await saml.getAuthorizeUrlAsync("two words (and 'more')!", undefined, {}));
  const query = readRedirectQuery(url.search.slice(1));
  assert.equal(query.relayState, "two words (and 'more')!");
  assert.equal(verifyRedirectSignature(query, [certificatePem]).algorithm, 'rsa-sha256');
  const changed = readRedirectQuery(url.search.slice(1).replace('two', 'too'));
  assert.throws(() => verifyRedirectSignature(changed, [certificatePem]), /invalid/);
});
