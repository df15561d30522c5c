// The XML signature wrapping corpus of plan §5.4 (after SAML Raider XSW1–8,
// crewjam/saml PR #338, Sustainsys PR #1241), for each message type the IdP
// verifies. Every variant is signed by a test SP key with xml-crypto here,
// so that a variant fails for its structure and not for a broken signature,
// and every variant must be refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import { testKey } from '../../../test/helpers/saml-keys.ts';
import { SamlInputError } from '../../platform/xml/errors.ts';
import { xmlNs } from '../../platform/xml/namespaces.ts';
import { dsig, signatureMethods } from '../../platform/xml/algorithms.ts';
import { signRootElement } from './sign-element.ts';
import { verifySignedMessage } from './verify-element.ts';

const ns = `xmlns:samlp="${xmlNs.protocol}" xmlns:saml="${xmlNs.assertion}"`;
const issuer = (who = 'https://sp.example') => `<saml:Issuer>${who}</saml:Issuer>`;
const instant = 'Version="2.0" IssueInstant="2026-01-01T00:00:00Z"';

const messages = {
  AuthnRequest: (id: string, acs = 'https://sp.example/acs', who?: string, extensions = '') =>
    `<samlp:AuthnRequest ${ns} ID="${id}" ${instant} AssertionConsumerServiceURL="${acs}">${issuer(who)}${extensions ? `<samlp:Extensions>${extensions}</samlp:Extensions>` : ''}<samlp:NameIDPolicy AllowCreate="true"/></samlp:AuthnRequest>`,
  LogoutRequest: (id: string, _acs?: string, who?: string, extensions = '') =>
    `<samlp:LogoutRequest ${ns} ID="${id}" ${instant}>${issuer(who)}${extensions ? `<samlp:Extensions>${extensions}</samlp:Extensions>` : ''}<saml:NameID>name-1</saml:NameID><samlp:SessionIndex>session-1</samlp:SessionIndex></samlp:LogoutRequest>`,
  LogoutResponse: (id: string, _acs?: string, who?: string, extensions = '') =>
    `<samlp:LogoutResponse ${ns} ID="${id}" ${instant} InResponseTo="_l0">${issuer(who)}${extensions ? `<samlp:Extensions>${extensions}</samlp:Extensions>` : ''}<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status></samlp:LogoutResponse>`,
};
type MessageName = keyof typeof messages;

interface RawSignOptions {
  signatureAlgorithm?: string;
  canonicalization?: string;
  transforms?: string[];
  digest?: string;
  extraReferenceXpath?: string;
  emptyUri?: boolean;
  hmacKey?: string;
  location?: { reference: string; action: 'append' | 'prepend' | 'before' | 'after' };
}

/** xml-crypto with its stock algorithm tables, so variants our signer would never produce can be made. */
async function rawSign(xml: string, options: RawSignOptions = {}): Promise<string> {
  const key = await testKey('sp');
  const signer = new SignedXml({
    privateKey: options.hmacKey ?? key.privateKeyPem,
    publicCert: key.certificatePem,
    signatureAlgorithm: options.signatureAlgorithm ?? signatureMethods['rsa-sha256'],
    canonicalizationAlgorithm: options.canonicalization ?? dsig.excC14n,
  });
  if (options.hmacKey) signer.enableHMAC();
  const transforms = options.transforms ?? [dsig.envelopedSignature, dsig.excC14n];
  signer.addReference({
    xpath: '/*',
    transforms,
    digestAlgorithm: options.digest ?? dsig.sha256,
    isEmptyUri: options.emptyUri ?? false,
  });
  if (options.extraReferenceXpath)
    signer.addReference({
      xpath: options.extraReferenceXpath,
      transforms: [dsig.excC14n],
      digestAlgorithm: dsig.sha256,
    });
  signer.computeSignature(xml, {
    prefix: 'ds',
    location: options.location ?? { reference: `/*/*[local-name(.)='Issuer']`, action: 'after' },
  });
  return signer.getSignedXml();
}

const parse = (xml: string) => new DOMParser().parseFromString(xml, 'text/xml');
const serialize = (node: Node) => new XMLSerializer().serializeToString(node);

function signatureOf(doc: Document): Element {
  const signature = doc.getElementsByTagNameNS(xmlNs.dsig, 'Signature').item(0);
  if (!signature) throw new Error('no signature');
  return signature;
}

/** Builds the attacker's root around the signed original and puts the original's Signature where `place` says. */
function wrap(name: MessageName, signedOriginal: string, rootId: string, place: 'root' | 'original'): string {
  const original = parse(signedOriginal);
  const signature = signatureOf(original);
  if (place === 'root') signature.parentNode?.removeChild(signature);
  const attacker = parse(
    messages[name](rootId, 'https://attacker.example/acs', 'https://sp.example', '<x:placeholder xmlns:x="urn:x"/>'),
  );
  const placeholder = attacker.getElementsByTagNameNS('urn:x', 'placeholder').item(0);
  const root = attacker.documentElement;
  if (!placeholder || !root) throw new Error('template');
  placeholder.parentNode?.replaceChild(attacker.importNode(original.documentElement as Element, true), placeholder);
  if (place === 'root') root.insertBefore(attacker.importNode(signature, true), root.firstChild?.nextSibling ?? null);
  return serialize(attacker);
}

async function corpus(name: MessageName): Promise<Record<string, string>> {
  const sp = await testKey('sp');
  const signed = signRootElement(messages[name]('_orig'), sp);
  const moved = (where: (doc: Document, signature: Element) => void) => {
    const doc = parse(signed);
    const signature = signatureOf(doc);
    signature.parentNode?.removeChild(signature);
    where(doc, signature);
    return serialize(doc);
  };
  const assertion = signRootElement(
    `<saml:Assertion xmlns:saml="${xmlNs.assertion}" ID="_as" ${instant}>${issuer('https://idp.example')}</saml:Assertion>`,
    sp,
  );
  return {
    '1 signed original inside the Extensions of an attacker root (new ID, ACS, Issuer)': wrap(
      name,
      signed,
      '_evil',
      'original',
    ),
    '1 the same, with the Signature moved to the attacker root (XSW1/2)': wrap(name, signed, '_evil', 'root'),
    '2 attacker root with the same ID as the wrapped original': wrap(name, signed, '_orig', 'root'),
    '3 Signature moved under Issuer': moved((doc, s) =>
      doc.getElementsByTagNameNS(xmlNs.assertion, 'Issuer').item(0)?.appendChild(s),
    ),
    '3 Signature moved to the end of the root': moved((doc, s) => doc.documentElement?.appendChild(s)),
    '3 Signature moved before Issuer': moved((doc, s) =>
      doc.documentElement?.insertBefore(s, doc.documentElement.firstChild),
    ),
    '4 two References in SignedInfo': await rawSign(messages[name]('_orig'), {
      extraReferenceXpath: `//*[local-name(.)='Issuer']`,
    }),
    '4 two Signatures': await rawSign(signed, { location: { reference: '/*', action: 'append' } }),
    '5 an unsigned message beside the signed one': `<wrapper>${messages[name]('_evil')}${signed}</wrapper>`,
    '5 two roots': `${signed}${messages[name]('_evil')}`,
    '6 a captured signed Assertion carried in the message (samlify GHSA-63ch-w8pw-4mf2)': messages[name](
      '_evil',
      undefined,
      undefined,
      assertion,
    ),
    '7 a comment in DigestValue (CVE-2025-29775)': signed.replace(/(<ds:DigestValue>[^<]{10})/, '$1<!-- x -->'),
    '7 a comment in SignatureValue': signed.replace(/(<ds:SignatureValue>[^<]{10})/, '$1<!-- x -->'),
    '8 Reference #_orig while the root ID is another': signed.replace('ID="_orig"', 'ID="_other"'),
    '8 a saml:ID look-alike elsewhere': signed.replace('<saml:Issuer>', '<saml:Issuer saml:ID="_orig">'),
    '8 an xml:id look-alike elsewhere': signed.replace('<saml:Issuer>', '<saml:Issuer xml:id="_orig2">'),
    '8 an Id look-alike with the root ID elsewhere': signed.replace('<saml:Issuer>', '<saml:Issuer Id="_orig">'),
    '8 an empty Reference URI': await rawSign(messages[name]('_orig'), { emptyUri: true }),
    '9 an XSLT transform': signed.replace(
      `<ds:Transform Algorithm="${dsig.excC14n}"/>`,
      '<ds:Transform Algorithm="http://www.w3.org/TR/1999/REC-xslt-19991116"><xsl:stylesheet xmlns:xsl="http://www.w3.org/1999/XSL/Transform" version="1.0"/></ds:Transform>',
    ),
    '9 an XPath filter transform': signed.replace(
      `<ds:Transform Algorithm="${dsig.excC14n}"/>`,
      '<ds:Transform Algorithm="http://www.w3.org/TR/1999/REC-xpath-19991116"><ds:XPath>not(ancestor-or-self::x)</ds:XPath></ds:Transform>',
    ),
    '9 a base64 transform': signed.replace(
      `<ds:Transform Algorithm="${dsig.excC14n}"/>`,
      '<ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#base64"/>',
    ),
    '9 exclusive C14N #WithComments in the Reference': await rawSign(messages[name]('_orig'), {
      transforms: [dsig.envelopedSignature, `${dsig.excC14n}WithComments`],
    }),
    '9 exclusive C14N #WithComments for SignedInfo': await rawSign(messages[name]('_orig'), {
      canonicalization: `${dsig.excC14n}WithComments`,
    }),
    '9 inclusive C14N for SignedInfo': await rawSign(messages[name]('_orig'), {
      canonicalization: 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315',
    }),
    '10 rsa-sha1': await rawSign(messages[name]('_orig'), {
      signatureAlgorithm: 'http://www.w3.org/2000/09/xmldsig#rsa-sha1',
    }),
    '10 a SHA-1 digest': await rawSign(messages[name]('_orig'), { digest: 'http://www.w3.org/2000/09/xmldsig#sha1' }),
    '10 hmac-sha1 keyed with the public certificate (key confusion)': await rawSign(messages[name]('_orig'), {
      signatureAlgorithm: 'http://www.w3.org/2000/09/xmldsig#hmac-sha1',
      hmacKey: sp.certificatePem,
    }),
    '10 an Object in the Signature': signed.replace(
      '</ds:SignatureValue>',
      '</ds:SignatureValue><ds:Object><x xmlns="urn:x"/></ds:Object>',
    ),
    '11 a DOCTYPE with an entity in the signed message': `<!DOCTYPE x [<!ENTITY e "https://sp.example">]>${signed}`,
  };
}

for (const name of Object.keys(messages) as MessageName[]) {
  test(`XSW corpus: every variant of a ${name} is refused`, async () => {
    const sp = await testKey('sp');
    const variants = await corpus(name);
    assert.ok(Object.keys(variants).length >= 29);
    for (const [label, xml] of Object.entries(variants)) {
      // Refused for its structure, before any key is tried: the defence does not rest on a digest failing by luck.
      assert.throws(
        () => verifySignedMessage(xml, [sp.certificatePem]),
        (error: unknown) => error instanceof SamlInputError && error.code !== 'invalid',
        `${name}: ${label}`,
      );
    }
  });
}

test('XSW corpus: an attacker certificate in KeyInfo with a valid signature by its key is not trusted (CVE-2024-32962 shape)', async () => {
  const sp = await testKey('sp');
  const attacker = await testKey('attacker');
  const forged = signRootElement(messages.AuthnRequest('_orig', 'https://attacker.example/acs'), attacker);
  assert.ok(forged.includes('<ds:X509Certificate>'), 'the forged message carries the attacker certificate');
  assert.throws(
    () => verifySignedMessage(forged, [sp.certificatePem]),
    (error: unknown) => error instanceof SamlInputError && error.code === 'invalid',
  );
});

test('XSW corpus: the unaltered messages verify, so the refusals above are about the variants', async () => {
  const sp = await testKey('sp');
  for (const name of Object.keys(messages) as MessageName[]) {
    assert.equal(
      verifySignedMessage(signRootElement(messages[name]('_orig'), sp), [sp.certificatePem]).root.getAttribute('ID'),
      '_orig',
    );
    assert.equal(
      verifySignedMessage(await rawSign(messages[name]('_orig')), [sp.certificatePem]).root.localName,
      name,
      'stock xml-crypto output as an SP would send it',
    );
  }
});
