/**
 * Exports:
 * - `verifySignedMessage(xml, trustedCertificatesPem, limits?): VerifiedMessage` —
 *   checks the enveloped signature over the root of an inbound message
 *   (AuthnRequest, LogoutRequest, LogoutResponse over POST; signed metadata)
 *   and returns the signed content re-parsed. Throws `SamlSignatureError`
 *   (or `SamlXmlError` for a document that does not parse).
 * - `isSigned(xml, limits?): boolean` — whether the document carries a ds:Signature
 *   anywhere; a misplaced one still counts, so it is refused by verification
 *   rather than overlooked as "unsigned".
 * - Type `VerifiedMessage`.
 *
 * The steps, in order:
 * 1. parse strictly (`parseSamlXml`);
 * 2. structural rules (`checkSignatureShape`): one Signature after Issuer,
 *    one Reference to the root's unique ID, allowed transforms and algorithms;
 * 3. xml-crypto with only our algorithms, each trusted certificate in turn
 *    (KeyInfo is never consulted: CVE-2024-32962), a new instance per try;
 * 4. read the result only from `getSignedReferences()` (xml-crypto README,
 *    node-saml's fix for CVE-2025-54419), re-parsed strictly, and check it is
 *    the same root element with the same ID.
 * Callers read every later field from `document`, never from their own parse.
 */
import { parseSamlXml, type ParseLimits } from '../../platform/xml/parse.ts';
import { xmlNs } from '../../platform/xml/namespaces.ts';
import { restrictAlgorithms, type SignatureAlgorithmName } from '../../platform/xml/algorithms.ts';
import { SamlSignatureError } from './errors.ts';
import { checkSignatureShape } from './signature-shape.ts';
import { xmlCrypto } from '../../platform/xml/libraries.ts';

export interface VerifiedMessage {
  /** The signed root element as canonicalized by the verifier, parsed again. */
  document: Document;
  root: Element;
  /** Which of the trusted certificates verified it. */
  certificatePem: string;
  algorithm: SignatureAlgorithmName;
}

export function isSigned(xml: string, limits?: Partial<ParseLimits>): boolean {
  return parseSamlXml(xml, limits).getElementsByTagNameNS(xmlNs.dsig, 'Signature').length > 0;
}

/** `limits` as for `parseSamlXml`; metadata needs more than a protocol message. */
export function verifySignedMessage(
  xml: string,
  trustedCertificatesPem: readonly string[],
  limits?: Partial<ParseLimits>,
): VerifiedMessage {
  const doc = parseSamlXml(xml, limits);
  const shape = checkSignatureShape(doc);
  if (trustedCertificatesPem.length === 0) throw new SamlSignatureError('no_trusted_certificate');
  for (const certificatePem of trustedCertificatesPem) {
    const signed = checkWith(xml, shape.signature, certificatePem);
    if (signed === undefined) continue;
    const document = parseSamlXml(signed, limits);
    const root = document.documentElement;
    if (
      !root ||
      root.namespaceURI !== shape.root.namespaceURI ||
      root.localName !== shape.root.localName ||
      root.getAttribute('ID') !== shape.rootId
    ) {
      throw new SamlSignatureError('signed_content', 'the signed element is not the root');
    }
    return { document, root, certificatePem, algorithm: shape.algorithm };
  }
  throw new SamlSignatureError('invalid');
}

/** The one signed reference's canonical XML when this certificate verifies the signature; otherwise undefined. */
function checkWith(xml: string, signature: Element, certificatePem: string): string | undefined {
  const verifier = new (xmlCrypto().SignedXml)({ publicCert: certificatePem, getCertFromKeyInfo: () => null });
  restrictAlgorithms(verifier);
  try {
    verifier.loadSignature(signature);
    if (!verifier.checkSignature(xml)) return undefined;
  } catch {
    // A throw is a failure, and nothing the failed check left behind is read.
    return undefined;
  }
  const references = verifier.getSignedReferences();
  if (references.length !== 1) throw new SamlSignatureError('reference', 'exactly one signed reference');
  return references[0];
}
