/**
 * Exports:
 * - `signRootElement(xml, key, algorithm = 'rsa-sha256'): string` — the
 *   document with an enveloped signature over its root element.
 * - `signableRoots`, types `SigningKey`, `SignableRoot`.
 *
 * The profile of what we sign (saml-core §5.4, saml-metadata §3.1): one
 * Reference, `URI="#<root ID>"`, transforms enveloped-signature then
 * exclusive C14N, SHA-256 digest, exclusive C14N of SignedInfo, KeyInfo with
 * the X.509 certificate. The Signature goes right after `saml:Issuer`, where
 * the protocol and assertion schemas put it, and first in an
 * EntityDescriptor, which has no Issuer.
 */
import { SignedXml, type GetKeyInfoContentArgs } from 'xml-crypto';
import { memoByString } from '../../platform/memo.ts';
import { xmlNs } from '../xml/namespaces.ts';
import { parseSamlXml } from '../xml/parse.ts';
import { dsig, restrictAlgorithms, signatureMethods, type SignatureAlgorithmName } from './algorithms.ts';

export interface SigningKey {
  privateKeyPem: string;
  certificatePem: string;
}

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

export function signRootElement(xml: string, key: SigningKey, algorithm: SignatureAlgorithmName = 'rsa-sha256'): string {
  const root = parseSamlXml(xml, { maxBytes: 1024 * 1024 }).documentElement;
  if (!root || !isSignable(root)) throw new Error(`cannot sign a ${root?.localName ?? 'missing'} element`);
  const id = root.getAttribute('ID');
  if (!id) throw new Error(`${root.localName} has no ID to reference`);
  const firstElement = firstElementChild(root);
  const afterIssuer = firstElement?.localName === 'Issuer' && firstElement.namespaceURI === xmlNs.assertion;
  if (root.localName !== 'EntityDescriptor' && !afterIssuer) throw new Error(`${root.localName} must start with saml:Issuer`);

  const signer = new SignedXml({
    privateKey: key.privateKeyPem,
    publicCert: key.certificatePem,
    signatureAlgorithm: signatureMethods[algorithm],
    canonicalizationAlgorithm: dsig.excC14n,
    getKeyInfoContent: keyInfoContent,
  });
  restrictAlgorithms(signer);
  signer.addReference({ xpath: '/*', transforms: [dsig.envelopedSignature, dsig.excC14n], digestAlgorithm: dsig.sha256 });
  signer.computeSignature(xml, {
    prefix: 'ds',
    location: afterIssuer ? { reference: `/*/*[local-name(.)='Issuer' and namespace-uri(.)='${xmlNs.assertion}']`, action: 'after' } : { reference: '/*', action: 'prepend' },
  });
  return signer.getSignedXml();
}

/**
 * xml-crypto's own KeyInfo, made once per certificate: by default it parses
 * the certificate on every signature, two per Response (issue 7's profile).
 */
const keyInfoOf = memoByString(16, (pem) => SignedXml.getKeyInfoContent({ publicCert: pem, prefix: 'ds' }));
const keyInfoContent = (args?: GetKeyInfoContentArgs): string | null =>
  typeof args?.publicCert === 'string' && args.prefix === 'ds' ? keyInfoOf(args.publicCert) : SignedXml.getKeyInfoContent(args ?? {});

function isSignable(root: Element): boolean {
  return Object.hasOwn(signableRoots, root.localName) && signableRoots[root.localName as SignableRoot] === root.namespaceURI;
}

function firstElementChild(element: Element): Element | undefined {
  for (let child = element.firstChild; child; child = child.nextSibling) {
    if (child.nodeType === 1) return child as Element;
  }
  return undefined;
}
