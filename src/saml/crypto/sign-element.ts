/**
 * Exports:
 * - `signRootElement(xml, key, algorithm = 'rsa-sha256'): string` — the
 *   document with an enveloped signature over its root element.
 * - `signBuiltElement(spec, key, algorithm = 'rsa-sha256'): SignedElement` —
 *   the same for an element we build ourselves (`xml/build.ts`), without any
 *   parse (issue 16): the exclusive C14N of the spec (`xml/exc-c14n.ts`,
 *   proven equal to xml-crypto's and libxml2's) is digested, SignedInfo is
 *   built and canonicalized as a spec too and signed with node:crypto, the
 *   Signature goes into the spec and the whole is written once
 *   (`xml/write.ts`). The bytes are those xml-crypto gave for the same spec
 *   (`sign-element.test.ts`). A spec holding a parsed fragment still goes
 *   through xml-crypto.
 * - `signableRoots`, types `SignableRoot`, `SignedElement` (`SigningKey`:
 *   platform/xml/signing-key.ts).
 *
 * The profile of what we sign (saml-core §5.4, saml-metadata §3.1): one
 * Reference, `URI="#<root ID>"`, transforms enveloped-signature then
 * exclusive C14N, SHA-256 digest, exclusive C14N of SignedInfo, KeyInfo with
 * the X.509 certificate. The Signature goes right after `saml:Issuer`, where
 * the protocol and assertion schemas put it, and first in an
 * EntityDescriptor, which has no Issuer.
 */
import type { GetKeyInfoContentArgs } from 'xml-crypto';
import { memoByString } from '../../platform/memo.ts';
import { xmlNs } from '../../platform/xml/namespaces.ts';
import { createHash } from 'node:crypto';
import { buildXml, el, type XmlChild, type XmlElement } from '../../platform/xml/build.ts';
import { exclusiveC14n } from '../../platform/xml/exc-c14n.ts';
import { hasFragment, writeXml } from '../../platform/xml/write.ts';
import { parseSamlXml } from '../../platform/xml/parse.ts';
import type { SigningKey } from '../../platform/xml/signing-key.ts';
import {
  dsig,
  restrictAlgorithms,
  signatureMethods,
  signOctets,
  type SignatureAlgorithmName,
} from '../../platform/xml/algorithms.ts';
import { xmlCrypto } from '../../platform/xml/libraries.ts';

/** Root elements we sign, by namespace and local name. AuthnRequest is here for test service providers. */
export const signableRoots = {
  Response: xmlNs.protocol,
  LogoutRequest: xmlNs.protocol,
  LogoutResponse: xmlNs.protocol,
  AuthnRequest: xmlNs.protocol,
  Assertion: xmlNs.assertion,
  EntityDescriptor: xmlNs.metadata,
} as const;

export type SignableRoot = keyof typeof signableRoots;

export function signRootElement(
  xml: string,
  key: SigningKey,
  algorithm: SignatureAlgorithmName = 'rsa-sha256',
): string {
  const root = parseSamlXml(xml, { maxBytes: 1024 * 1024 }).documentElement;
  if (!root || !isSignable(root)) throw new Error(`cannot sign a ${root?.localName ?? 'missing'} element`);
  const id = root.getAttribute('ID');
  if (!id) throw new Error(`${root.localName} has no ID to reference`);
  const firstElement = firstElementChild(root);
  const afterIssuer = firstElement?.localName === 'Issuer' && firstElement.namespaceURI === xmlNs.assertion;
  if (root.localName !== 'EntityDescriptor' && !afterIssuer)
    throw new Error(`${root.localName} must start with saml:Issuer`);
  return sign(xml, afterIssuer, key, algorithm);
}

/**
 * A signed element of ours, with the local name of its root (an Assertion may
 * go on to be encrypted without a parse) and, when it was signed from the
 * spec, the spec with its Signature (to build into a Response as it is).
 */
export interface SignedElement {
  readonly xml: string;
  readonly root: SignableRoot;
  readonly spec?: XmlElement | undefined;
}

export function signBuiltElement(
  spec: XmlElement,
  key: SigningKey,
  algorithm: SignatureAlgorithmName = 'rsa-sha256',
): SignedElement {
  const localName = localNameOf(spec.name);
  if (!Object.hasOwn(signableRoots, localName) || signableRoots[localName as SignableRoot] !== spec.ns)
    throw new Error(`cannot sign a ${spec.name} element`);
  if (!spec.attributes.ID) throw new Error(`${spec.name} has no ID to reference`);
  const first = spec.children.find((child) => child !== null && child !== undefined && child !== false);
  const afterIssuer =
    typeof first === 'object' &&
    first.kind === 'element' &&
    first.ns === xmlNs.assertion &&
    localNameOf(first.name) === 'Issuer';
  if (localName !== 'EntityDescriptor' && !afterIssuer) throw new Error(`${spec.name} must start with saml:Issuer`);
  if (hasFragment(spec))
    return { xml: sign(buildXml(spec), afterIssuer, key, algorithm), root: localName as SignableRoot };
  const signed = withSignature(spec, signatureFor(spec, spec.attributes.ID, key, algorithm), afterIssuer);
  return { xml: writeXml(signed), root: localName as SignableRoot, spec: signed };
}

/**
 * The ds:Signature over `spec` as xml-crypto builds it (XMLDSig §4; the
 * profile above): the enveloped-signature transform takes away a Signature
 * that is not there yet, so the digest is over the spec's own exclusive C14N.
 */
function signatureFor(spec: XmlElement, id: string, key: SigningKey, algorithm: SignatureAlgorithmName): XmlElement {
  const digest = createHash('sha256').update(exclusiveC14n(spec), 'utf8').digest('base64');
  const signedInfo = ds('SignedInfo', {}, [
    ds('CanonicalizationMethod', { Algorithm: dsig.excC14n }),
    ds('SignatureMethod', { Algorithm: signatureMethods[algorithm] }),
    ds('Reference', { URI: `#${id}` }, [
      ds('Transforms', {}, [
        ds('Transform', { Algorithm: dsig.envelopedSignature }),
        ds('Transform', { Algorithm: dsig.excC14n }),
      ]),
      ds('DigestMethod', { Algorithm: dsig.sha256 }),
      ds('DigestValue', {}, [digest]),
    ]),
  ]);
  const value = signOctets(exclusiveC14n(signedInfo), key.privateKeyPem, algorithm).toString('base64');
  return ds('Signature', { 'xmlns:ds': xmlNs.dsig }, [
    signedInfo,
    ds('SignatureValue', {}, [value]),
    ds('KeyInfo', {}, [x509DataOf(key.certificatePem)]),
  ]);
}

const ds = (name: string, attributes: Record<string, string> = {}, children: readonly XmlChild[] = []): XmlElement =>
  el(xmlNs.dsig, `ds:${name}`, attributes, children);

/** The X509Data xml-crypto would write for the certificate (base64 without line breaks), made once per certificate. */
const x509DataOf = memoByString(16, (pem) => {
  const certificates = [...(keyInfoOf(pem) ?? '').matchAll(/<ds:X509Certificate>([^<]*)<\/ds:X509Certificate>/g)];
  return ds(
    'X509Data',
    {},
    certificates.map((match) => ds('X509Certificate', {}, [match[1] ?? ''])),
  );
});

function withSignature(spec: XmlElement, signature: XmlElement, afterIssuer: boolean): XmlElement {
  const children = [...spec.children];
  const at = afterIssuer ? children.findIndex((child) => typeof child === 'object' && child !== null) + 1 : 0;
  children.splice(at, 0, signature);
  return { ...spec, children };
}

function sign(xml: string, afterIssuer: boolean, key: SigningKey, algorithm: SignatureAlgorithmName): string {
  const signer = new (xmlCrypto().SignedXml)({
    privateKey: key.privateKeyPem,
    publicCert: key.certificatePem,
    signatureAlgorithm: signatureMethods[algorithm],
    canonicalizationAlgorithm: dsig.excC14n,
    getKeyInfoContent: keyInfoContent,
  });
  restrictAlgorithms(signer);
  signer.addReference({
    xpath: '/*',
    transforms: [dsig.envelopedSignature, dsig.excC14n],
    digestAlgorithm: dsig.sha256,
  });
  signer.computeSignature(xml, {
    prefix: 'ds',
    location: afterIssuer
      ? { reference: `/*/*[local-name(.)='Issuer' and namespace-uri(.)='${xmlNs.assertion}']`, action: 'after' }
      : { reference: '/*', action: 'prepend' },
  });
  return signer.getSignedXml();
}

/**
 * xml-crypto's own KeyInfo, made once per certificate: by default it parses
 * the certificate on every signature, two per Response (issue 7's profile).
 */
const keyInfoOf = memoByString(16, (pem) => xmlCrypto().SignedXml.getKeyInfoContent({ publicCert: pem, prefix: 'ds' }));
const keyInfoContent = (args?: GetKeyInfoContentArgs): string | null =>
  typeof args?.publicCert === 'string' && args.prefix === 'ds'
    ? keyInfoOf(args.publicCert)
    : xmlCrypto().SignedXml.getKeyInfoContent(args ?? {});

const localNameOf = (qualified: string): string => qualified.slice(qualified.indexOf(':') + 1);

function isSignable(root: Element): boolean {
  return (
    Object.hasOwn(signableRoots, root.localName) && signableRoots[root.localName as SignableRoot] === root.namespaceURI
  );
}

function firstElementChild(element: Element): Element | undefined {
  for (let child = element.firstChild; child; child = child.nextSibling) {
    if (child.nodeType === 1) return child as Element;
  }
  return undefined;
}
