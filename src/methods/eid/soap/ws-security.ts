/**
 * Exports:
 * - `signEnvelope(message, key, now, ttlSeconds?)`: a SOAP 1.1 envelope
 *   around `message` with a WS-Security header: `wsu:Timestamp` and one
 *   `ds:Signature` over the Body and the Timestamp.
 * - `verifyEnvelope(xml, trustedCertificatesPem, now, skewSeconds?)`: checks
 *   such an envelope and returns the Body's message element read from the
 *   signed copy only → `VerifiedEnvelope`. Throws `EidServerError`.
 *
 * Why: TR-03130-1 v2.4.0 §3.5.2, "The eService and the eID-Server MUST apply
 * XML-Signatures to all XML-Messages"; the Governikus WSDL policy `SigOnly`:
 * AsymmetricBinding, IncludeTimestamp, SignedParts/Body, IncludeToken/Never,
 * RequireIssuerSerialReference (design notes §0.1). What we emit: exclusive
 * C14N, RSA-SHA256 (TR-03116-4 key sizes come from the key), SHA-256 digests,
 * two References (`#<Body wsu:Id>`, `#<Timestamp wsu:Id>`), KeyInfo =
 * wsse:SecurityTokenReference/ds:X509Data/ds:X509IssuerSerial (WSS X.509
 * Token Profile 1.1 §3.3.3).
 *
 * What we accept, checked before any cryptography (as
 * saml/crypto/signature-shape.ts does for SAML, and for the same XSW reasons):
 * one Header holding one wsse:Security holding exactly one wsu:Timestamp and
 * one ds:Signature (nothing else); one Signature and one Timestamp in the
 * whole document; every Id/ID/id value unique and the Body's one a wsu:Id;
 * SignedInfo = exc-C14N, an allowed SignatureMethod, exactly two References
 * whose URIs are exactly the Body and the Timestamp; per Reference only the
 * exc-C14N transform and a SHA-256 digest; no comments, Object or Manifest.
 * The key is the pinned certificate: KeyInfo is never used to find a key
 * (CVE-2024-32962). The Body and the Timestamp are read from xml-crypto's
 * `getSignedReferences()`, re-parsed strictly, never from the received tree.
 *
 * Not covered (yet): Basic256Sha256 asks for RSA-OAEP key wrap only when
 * encrypting, which SigOnly does not; `wsse11:SignatureConfirmation`
 * (WS-Security 1.1 §8.5) is not sent or required; the IssuerSerial in an
 * inbound KeyInfo is not compared with the pinned certificate (the pinned
 * certificate decides); multi-valued RDNs in the issuer name are written as
 * Node prints them, without RFC 4514 escaping.
 */
import { randomBytes, X509Certificate } from 'node:crypto';
import { buildXml, el, type XmlElement } from '../../../platform/xml/build.ts';
import {
  dsig,
  restrictAlgorithms,
  signatureAlgorithmOf,
  signatureMethods,
  type SignatureAlgorithmName,
} from '../../../platform/xml/algorithms.ts';
import type { SigningKey } from '../../../platform/xml/signing-key.ts';
import { envelope, parseEnvelope, parseXml } from './envelope.ts';
import { EidServerError } from './errors.ts';
import { eidNs } from './namespaces.ts';
import { elementChildren, textOf } from './read.ts';
import { xmlCrypto } from '../../../platform/xml/libraries.ts';

export interface VerifiedEnvelope {
  /** The Body's one element, from the signed (canonical) copy of the Body. */
  message: Element;
  certificatePem: string;
  algorithm: SignatureAlgorithmName;
  created: Date;
  expires: Date;
}

const bodyXpath = `/*/*[local-name(.)='Body' and namespace-uri(.)='${eidNs.soap}']`;
const timestampXpath = `/*/*[local-name(.)='Header']/*[local-name(.)='Security']/*[local-name(.)='Timestamp' and namespace-uri(.)='${eidNs.wsu}']`;

export function signEnvelope(message: XmlElement, key: SigningKey, now: Date, ttlSeconds = 300): string {
  const bodyId = `id-${randomBytes(16).toString('hex')}`;
  const timestampId = `ts-${randomBytes(16).toString('hex')}`;
  const security = el(eidNs.wsse, 'wsse:Security', { 'xmlns:wsse': eidNs.wsse, 'soapenv:mustUnderstand': '1' }, [
    el(eidNs.wsu, 'wsu:Timestamp', { 'wsu:Id': timestampId }, [
      el(eidNs.wsu, 'wsu:Created', {}, [xsDateTime(now)]),
      el(eidNs.wsu, 'wsu:Expires', {}, [xsDateTime(new Date(now.getTime() + ttlSeconds * 1000))]),
    ]),
  ]);
  const xml = buildXml(envelope(message, bodyId, [security]));
  const signer = new (xmlCrypto().SignedXml)({
    privateKey: key.privateKeyPem,
    publicCert: key.certificatePem,
    signatureAlgorithm: signatureMethods['rsa-sha256'],
    canonicalizationAlgorithm: dsig.excC14n,
    idMode: 'wssecurity',
    getKeyInfoContent: () => issuerSerialReference(key.certificatePem),
  });
  restrictAlgorithms(signer);
  for (const xpath of [bodyXpath, timestampXpath])
    signer.addReference({ xpath, transforms: [dsig.excC14n], digestAlgorithm: dsig.sha256 });
  signer.computeSignature(xml, { prefix: 'ds', location: { reference: timestampXpath, action: 'after' } });
  return signer.getSignedXml();
}

function xsDateTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function issuerSerialReference(certificatePem: string): string {
  const certificate = new X509Certificate(certificatePem);
  // RFC 4514 order (most specific RDN first); Node lists the RDNs as encoded, one per line.
  const issuer = certificate.issuer.split('\n').reverse().join(',');
  const serial = BigInt(`0x${certificate.serialNumber}`).toString(10);
  return buildXml(
    el(eidNs.wsse, 'wsse:SecurityTokenReference', { 'xmlns:wsse': eidNs.wsse, 'xmlns:ds': eidNs.dsig }, [
      el(eidNs.dsig, 'ds:X509Data', {}, [
        el(eidNs.dsig, 'ds:X509IssuerSerial', {}, [
          el(eidNs.dsig, 'ds:X509IssuerName', {}, [issuer]),
          el(eidNs.dsig, 'ds:X509SerialNumber', {}, [serial]),
        ]),
      ]),
    ]),
  );
}

export function verifyEnvelope(
  xml: string,
  trustedCertificatesPem: readonly string[],
  now: Date,
  skewSeconds = 60,
): VerifiedEnvelope {
  const parsed = parseEnvelope(xml);
  const shape = checkShape(parsed.document, parsed.header, parsed.body);
  if (trustedCertificatesPem.length === 0) throw new EidServerError('signature', 'no trusted certificate');
  for (const certificatePem of trustedCertificatesPem) {
    const references = checkWith(xml, shape.signature, certificatePem);
    if (!references) continue;
    if (references.length !== 2) throw new EidServerError('signature', 'exactly two signed references');
    const signed = references
      .map((reference) => parseXml(reference).documentElement)
      .filter((root) => root !== null && root !== undefined) as Element[];
    const body = signed.find(
      (root) => isNs(root, eidNs.soap, 'Body') && root.getAttributeNS(eidNs.wsu, 'Id') === shape.bodyId,
    );
    const timestamp = signed.find(
      (root) => isNs(root, eidNs.wsu, 'Timestamp') && root.getAttributeNS(eidNs.wsu, 'Id') === shape.timestampId,
    );
    if (!body || !timestamp)
      throw new EidServerError('signature', 'the signed content is not the Body and the Timestamp');
    const { created, expires } = readTimestamp(timestamp, now, skewSeconds);
    const [message, ...more] = elementChildren(body);
    if (!message || more.length > 0) throw new EidServerError('envelope', 'the Body must hold exactly one element');
    if (isNs(message, eidNs.soap, 'Fault')) throw new EidServerError('fault');
    return { message, certificatePem, algorithm: shape.algorithm, created, expires };
  }
  throw new EidServerError('signature', 'does not verify with a trusted certificate');
}

function checkWith(xml: string, signature: Element, certificatePem: string): string[] | undefined {
  const verifier = new (xmlCrypto().SignedXml)({ publicCert: certificatePem, getCertFromKeyInfo: () => null });
  restrictAlgorithms(verifier);
  try {
    verifier.loadSignature(signature);
    if (!verifier.checkSignature(xml)) return undefined;
  } catch {
    return undefined;
  }
  return verifier.getSignedReferences();
}

interface Shape {
  signature: Element;
  bodyId: string;
  timestampId: string;
  algorithm: SignatureAlgorithmName;
}

function checkShape(doc: Document, header: Element | undefined, body: Element): Shape {
  if (!header) throw new EidServerError('signature', 'unsigned (no Header)');
  const [security, ...otherHeaders] = elementChildren(header);
  if (!security || !isNs(security, eidNs.wsse, 'Security') || otherHeaders.length > 0)
    throw new EidServerError('signature', 'the Header must hold exactly one wsse:Security');
  const parts = elementChildren(security);
  const timestamp = parts.find((part) => isNs(part, eidNs.wsu, 'Timestamp'));
  const signature = parts.find((part) => isNs(part, eidNs.dsig, 'Signature'));
  if (!signature) throw new EidServerError('signature', 'unsigned');
  if (!timestamp) throw new EidServerError('timestamp', 'missing');
  if (parts.length !== 2)
    throw new EidServerError('signature', 'wsse:Security holds more than Timestamp and Signature');
  if (doc.getElementsByTagNameNS(eidNs.dsig, 'Signature').length !== 1)
    throw new EidServerError('signature', 'more than one Signature');
  if (doc.getElementsByTagNameNS(eidNs.wsu, 'Timestamp').length !== 1)
    throw new EidServerError('signature', 'more than one Timestamp');
  if (doc.getElementsByTagNameNS(eidNs.wsse, 'Security').length !== 1)
    throw new EidServerError('signature', 'more than one Security');

  const bodyId = body.getAttributeNS(eidNs.wsu, 'Id');
  const timestampId = timestamp.getAttributeNS(eidNs.wsu, 'Id');
  if (!bodyId || !timestampId) throw new EidServerError('signature', 'Body or Timestamp without wsu:Id');
  checkUniqueIds(doc, [bodyId, timestampId]);
  noComments(signature);

  const [signedInfo, signatureValue, keyInfo, ...rest] = elementChildren(signature);
  expectDsig(signedInfo, 'SignedInfo');
  expectDsig(signatureValue, 'SignatureValue');
  textOf(signatureValue as Element);
  if (rest.length > 0 || (keyInfo && !isNs(keyInfo, eidNs.dsig, 'KeyInfo')))
    throw new EidServerError('signature', 'only KeyInfo may follow SignatureValue');

  const [canonicalization, signatureMethod, ...references] = elementChildren(signedInfo as Element);
  expectDsig(canonicalization, 'CanonicalizationMethod');
  expectDsig(signatureMethod, 'SignatureMethod');
  checkExcC14n(canonicalization as Element);
  if (elementChildren(signatureMethod as Element).length > 0)
    throw new EidServerError('signature', 'SignatureMethod parameters');
  const algorithm = signatureAlgorithmOf((signatureMethod as Element).getAttribute('Algorithm') ?? '');
  if (!algorithm) throw new EidServerError('signature', 'algorithm not allowed');
  if (references.length !== 2) throw new EidServerError('signature', 'exactly two References');
  const uris = references.map(checkReference).sort();
  const expected = [`#${bodyId}`, `#${timestampId}`].sort();
  if (uris[0] !== expected[0] || uris[1] !== expected[1])
    throw new EidServerError('signature', 'the References must be the Body and the Timestamp');
  return { signature, bodyId, timestampId, algorithm };
}

// xml-crypto resolves a Reference by any attribute named Id, ID or id, whatever its namespace.
function checkUniqueIds(doc: Document, referenced: readonly string[]): void {
  const seen = new Set<string>();
  const all = doc.getElementsByTagName('*');
  for (let i = 0; i < all.length; i++) {
    const element = all.item(i) as Element;
    for (let j = 0; j < element.attributes.length; j++) {
      const attribute = element.attributes.item(j);
      if (!attribute || !['Id', 'ID', 'id'].includes(attribute.localName ?? '')) continue;
      if (seen.has(attribute.value)) throw new EidServerError('signature', 'duplicate Id');
      seen.add(attribute.value);
    }
  }
  for (const id of referenced)
    if (!/^[A-Za-z_][A-Za-z0-9._-]*$/.test(id)) throw new EidServerError('signature', 'Id is not an NCName');
}

function checkReference(reference: Element): string {
  expectDsig(reference, 'Reference');
  const uri = reference.getAttribute('URI') ?? '';
  const [transforms, digestMethod, digestValue, ...rest] = elementChildren(reference);
  expectDsig(transforms, 'Transforms');
  expectDsig(digestMethod, 'DigestMethod');
  expectDsig(digestValue, 'DigestValue');
  if (rest.length > 0) throw new EidServerError('signature', 'Reference content');
  const transformList = elementChildren(transforms as Element);
  if (transformList.length !== 1) throw new EidServerError('signature', 'exactly one Transform (exc-C14N)');
  expectDsig(transformList[0], 'Transform');
  checkExcC14n(transformList[0] as Element);
  if (
    (digestMethod as Element).getAttribute('Algorithm') !== dsig.sha256 ||
    elementChildren(digestMethod as Element).length > 0
  )
    throw new EidServerError('signature', 'digest algorithm');
  if (Buffer.from(textOf(digestValue as Element), 'base64').length !== 32)
    throw new EidServerError('signature', 'not a SHA-256 digest');
  return uri;
}

// Exclusive C14N without comments; its one parameter InclusiveNamespaces (exc-c14n §3) is allowed, WSS4J sends it.
function checkExcC14n(element: Element): void {
  if (element.getAttribute('Algorithm') !== dsig.excC14n) throw new EidServerError('signature', 'canonicalization');
  const [only, ...rest] = elementChildren(element);
  if (
    rest.length > 0 ||
    (only && !(isNs(only, dsig.excC14n, 'InclusiveNamespaces') && elementChildren(only).length === 0))
  )
    throw new EidServerError('signature', 'canonicalization parameters');
}

function readTimestamp(timestamp: Element, now: Date, skewSeconds: number): { created: Date; expires: Date } {
  const [createdElement, expiresElement, ...rest] = elementChildren(timestamp);
  if (
    !createdElement ||
    !isNs(createdElement, eidNs.wsu, 'Created') ||
    !expiresElement ||
    !isNs(expiresElement, eidNs.wsu, 'Expires') ||
    rest.length > 0
  ) {
    throw new EidServerError('timestamp', 'Created and Expires expected');
  }
  const created = dateTime(textOf(createdElement));
  const expires = dateTime(textOf(expiresElement));
  const skew = skewSeconds * 1000;
  if (created.getTime() > now.getTime() + skew) throw new EidServerError('timestamp', 'created in the future');
  if (expires.getTime() <= now.getTime() - skew || expires.getTime() <= created.getTime())
    throw new EidServerError('timestamp', 'expired');
  return { created, expires };
}

// WS-Security 1.1 §10: xsd:dateTime in UTC; we accept the Z form only.
function dateTime(text: string): Date {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z$/.test(text.trim()))
    throw new EidServerError('timestamp', 'not a UTC dateTime');
  const date = new Date(text.trim());
  if (Number.isNaN(date.getTime())) throw new EidServerError('timestamp', 'not a date');
  return date;
}

function noComments(node: Node): void {
  for (let child = node.firstChild; child; child = child.nextSibling) {
    if (child.nodeType === 1) noComments(child);
    else if (child.nodeType !== 3) throw new EidServerError('signature', 'comment or other node inside the Signature');
  }
}

function expectDsig(element: Element | undefined, localName: string): void {
  if (!element || !isNs(element, eidNs.dsig, localName)) throw new EidServerError('signature', `${localName} expected`);
}

function isNs(element: Element, ns: string, localName: string): boolean {
  return element.localName === localName && element.namespaceURI === ns;
}
