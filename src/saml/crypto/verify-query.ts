/**
 * Exports `verifyRedirectSignature(query, trustedCertificatesPem): VerifiedQuery`
 * — checks the signature of an HTTP-Redirect message over the octets cut
 * from the raw query (`readRedirectQuery`), never over re-encoded values,
 * since the signer's encoding is what was signed (SAML Bindings §3.4.4.1).
 * The signature covers the whole message, RelayState and SigAlg. Throws
 * `SamlSignatureError` ('unsigned' when there is no signature).
 * Also type `VerifiedQuery`.
 */
import { X509Certificate } from 'node:crypto';
import { memoByString } from '../../platform/memo.ts';
import type { RedirectQuery } from '../bindings/redirect.ts';
import {
  querySignatureAlgorithms,
  signatureAlgorithmOf,
  verifyOctets,
  type QuerySignatureAlgorithm,
} from '../../platform/xml/algorithms.ts';
import { SamlAlgorithmError, SamlSignatureError } from './errors.ts';

export interface VerifiedQuery {
  certificatePem: string;
  algorithm: QuerySignatureAlgorithm;
}

/** A service's certificates are the same on every request: parsed once each. */
const publicKeyOfCertificate = memoByString(64, (pem) => new X509Certificate(pem).publicKey);

export function verifyRedirectSignature(
  query: RedirectQuery,
  trustedCertificatesPem: readonly string[],
): VerifiedQuery {
  if (query.sigAlg === undefined || query.signature === undefined || query.signedOctets === undefined)
    throw new SamlSignatureError('unsigned');
  const algorithm = signatureAlgorithmOf(query.sigAlg);
  if (algorithm === undefined || !(querySignatureAlgorithms as readonly string[]).includes(algorithm))
    throw new SamlAlgorithmError(query.sigAlg);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(query.signature))
    throw new SamlSignatureError('signature_shape', 'Signature is not base64');
  if (trustedCertificatesPem.length === 0) throw new SamlSignatureError('no_trusted_certificate');
  const signature = Buffer.from(query.signature, 'base64');
  for (const octets of signedOctetCandidates(query)) {
    for (const certificatePem of trustedCertificatesPem) {
      if (verifyOctets(octets, signature, publicKeyOfCertificate(certificatePem), algorithm)) {
        return { certificatePem, algorithm: algorithm as QuerySignatureAlgorithm };
      }
    }
  }
  throw new SamlSignatureError('invalid');
}

/**
 * The octets as received come first, as SAML Bindings §3.4.4.1 asks. Some
 * services sign one URL encoding and send another: node-saml 5.1.0 (behind
 * many BundID integrations) signs `querystring` encoding (space as %20) but
 * sends URLSearchParams encoding (space as +, and ! ' ( ) ~ escaped). So the
 * canonical encodeURIComponent form of the same decoded values is tried too.
 * It covers exactly the same message, RelayState and SigAlg, so nothing an
 * attacker could change passes; only the spelling of the signed octets differs.
 */
function signedOctetCandidates(query: RedirectQuery): string[] {
  const received = query.signedOctets ?? '';
  const canonical = `${query.kind}=${encodeURIComponent(query.message)}${query.relayState !== undefined ? `&RelayState=${encodeURIComponent(query.relayState)}` : ''}&SigAlg=${encodeURIComponent(query.sigAlg ?? '')}`;
  return canonical === received ? [received] : [received, canonical];
}
