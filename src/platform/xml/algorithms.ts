/**
 * Exports:
 * - `dsig`: the URIs of the only canonicalization and transforms we emit or
 *   accept (exclusive C14N, enveloped signature) and the SHA-2 digests.
 * - `signatureMethods`: our algorithm names → SignatureMethod/SigAlg URIs
 *   (RSA PKCS#1 v1.5, RSASSA-PSS and ECDSA with SHA-256/384/512);
 *   `digestMethods`, `digestLength`, `digestAlgorithmOf(uri)`.
 * - `querySignatureAlgorithms`: the same list for Redirect query signatures.
 * - `signatureAlgorithmOf(uri)`: the reverse; `undefined` for anything not
 *   allowed (rsa-sha1, hmac-sha1, dsa, …); `acceptedAlgorithmsText`.
 * - `restrictAlgorithms(signedXml)`: leaves xml-crypto only the allowlist,
 *   implemented by our own classes (ECDSA included, which it lacks).
 * - `signOctets(data, privateKeyPem, alg)`, `verifyOctets(data, signature, publicKey, alg)`.
 * - Types `SignatureAlgorithmName`, `OutboundSignatureAlgorithm`, `QuerySignatureAlgorithm`.
 */
import { memoByString } from '../memo.ts';
import {
  constants,
  createHash,
  createPrivateKey,
  createPublicKey,
  KeyObject,
  sign,
  verify,
  type KeyLike,
} from 'node:crypto';
import type { SignedXml } from 'xml-crypto';
import type { SignatureAlgorithm as XmlCryptoSignatureAlgorithm } from 'xml-crypto';
import { xmlCrypto, xmlCryptoInternals } from './libraries.ts';

export const dsig = {
  excC14n: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  envelopedSignature: 'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
  sha256: 'http://www.w3.org/2001/04/xmlenc#sha256',
  sha384: 'http://www.w3.org/2001/04/xmldsig-more#sha384',
  sha512: 'http://www.w3.org/2001/04/xmlenc#sha512',
} as const;

type Hash = 'sha256' | 'sha384' | 'sha512';

/** Digests we accept in References (RFC 6931 §2.1.2, XML Encryption §5.7.2/§5.7.4); we emit SHA-256. */
export const digestMethods: Record<Hash, string> = { sha256: dsig.sha256, sha384: dsig.sha384, sha512: dsig.sha512 };

export type SignatureAlgorithmName =
  | 'rsa-sha256'
  | 'rsa-sha384'
  | 'rsa-sha512'
  | 'rsa-pss-sha256'
  | 'rsa-pss-sha384'
  | 'rsa-pss-sha512'
  | 'ecdsa-sha256'
  | 'ecdsa-sha384';

/** What we sign with (a service's `--signature`); we accept more than that (`signatureMethods`). */
export type OutboundSignatureAlgorithm = 'rsa-sha256' | 'rsa-pss-sha256' | 'ecdsa-sha256';

export const signatureMethods: Record<SignatureAlgorithmName, string> = {
  // RFC 6931 §2.3.2 (RSA PKCS#1 v1.5 with SHA-2).
  'rsa-sha256': 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  'rsa-sha384': 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha384',
  'rsa-sha512': 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512',
  // RFC 6931 §2.3.10 (RSASSA-PSS, MGF1 with the same hash, salt as long as the hash).
  'rsa-pss-sha256': 'http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1',
  'rsa-pss-sha384': 'http://www.w3.org/2007/05/xmldsig-more#sha384-rsa-MGF1',
  'rsa-pss-sha512': 'http://www.w3.org/2007/05/xmldsig-more#sha512-rsa-MGF1',
  // RFC 6931 §2.3.6; the value is r ‖ s (XMLDSig 1.1 §6.4.3).
  'ecdsa-sha256': 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256',
  'ecdsa-sha384': 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384',
};

const hashOf = (alg: SignatureAlgorithmName): Hash => alg.slice(-6) as Hash;
const saltLength: Record<Hash, number> = { sha256: 32, sha384: 48, sha512: 64 };
/**
 * Curves for ECDSA and the length of r ‖ s on each (SEC 1; TR-03116-4 names P-256 and P-384 among the allowed curves).
 */
const ecdsaCurves: Record<string, number> = { prime256v1: 64, secp384r1: 96 };

/**
 * Every algorithm of `signatureMethods`, for HTTP-Redirect query signatures
 * as for XML signatures (saml-bindings §3.4.4.1 names no restriction):
 * SHA-1 (rsa-sha1, dsa-sha1, ecdsa-sha1), HMAC and anything unknown are refused.
 */
export const querySignatureAlgorithms = Object.keys(signatureMethods) as SignatureAlgorithmName[];
export type QuerySignatureAlgorithm = SignatureAlgorithmName;

export function signatureAlgorithmOf(uri: string): SignatureAlgorithmName | undefined {
  return (Object.keys(signatureMethods) as SignatureAlgorithmName[]).find((name) => signatureMethods[name] === uri);
}

export function digestAlgorithmOf(uri: string): Hash | undefined {
  return (Object.keys(digestMethods) as Hash[]).find((name) => digestMethods[name] === uri);
}

/** Digest lengths in octets, to refuse a DigestValue that cannot be one. */
export const digestLength: Record<Hash, number> = { sha256: 32, sha384: 48, sha512: 64 };

/** The names we accept, for messages that refuse an algorithm (`saml-request-algorithm-not-allowed`). */
export const acceptedAlgorithmsText = (Object.keys(signatureMethods) as SignatureAlgorithmName[]).join(', ');

/** Signs `data` as the SignatureMethod/SigAlg `alg` prescribes. */
export function signOctets(data: string | Buffer, privateKey: KeyLike, alg: SignatureAlgorithmName): Buffer {
  const key = keyObject(privateKey, 'private');
  checkKeyType(key, alg);
  return sign(hashOf(alg), Buffer.from(data), nodeOptions(key, alg));
}

/** Verifies `signature` over `data`; false for a wrong key type rather than a throw. */
export function verifyOctets(
  data: string | Buffer,
  signature: Buffer,
  publicKey: KeyLike,
  alg: SignatureAlgorithmName,
): boolean {
  try {
    // A certificate, a public key or (xml-crypto's fallback) a private key: only the public part is used.
    const key = keyObject(publicKey, 'public');
    checkKeyType(key, alg);
    // r ‖ s is exactly twice the curve's size; anything else is not a signature of this algorithm.
    if (alg.startsWith('ecdsa-') && signature.length !== ecdsaCurves[key.asymmetricKeyDetails?.namedCurve ?? ''])
      return false;
    return verify(hashOf(alg), Buffer.from(data), nodeOptions(key, alg), signature);
  } catch {
    return false;
  }
}

// Parsed once per PEM: a Response is signed twice with the same key (issue 7's profile).
const privateKeyOf = memoByString(32, (pem) => createPrivateKey(pem));
const publicKeyOf = memoByString(64, (pem) => createPublicKey(pem));

function keyObject(key: KeyLike, kind: 'private' | 'public'): KeyObject {
  if (key instanceof KeyObject) return kind === 'public' && key.type === 'private' ? createPublicKey(key) : key;
  if (typeof key === 'string') return kind === 'private' ? privateKeyOf(key) : publicKeyOf(key);
  if (Buffer.isBuffer(key)) return kind === 'private' ? createPrivateKey(key) : createPublicKey(key);
  throw new Error('unsupported key form');
}

function nodeOptions(key: KeyObject, alg: SignatureAlgorithmName) {
  if (alg.startsWith('rsa-pss-'))
    return { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: saltLength[hashOf(alg)] };
  if (alg.startsWith('ecdsa-')) return { key, dsaEncoding: 'ieee-p1363' as const };
  return { key };
}

function checkKeyType(key: KeyObject, alg: SignatureAlgorithmName): void {
  const type = key.asymmetricKeyType;
  const ok = alg.startsWith('ecdsa-')
    ? type === 'ec' && (key.asymmetricKeyDetails?.namedCurve ?? '') in ecdsaCurves
    : type === 'rsa';
  if (!ok) throw new Error(`key type ${type ?? 'unknown'} does not fit ${alg}`);
}

/**
 * xml-crypto signature algorithm classes that sign and verify through
 * `signOctets`/`verifyOctets`, so the key type is checked against the
 * SignatureMethod: Node's `createVerify('RSA-SHA256')` would otherwise accept
 * an ECDSA signature from an EC key under an rsa-sha256 label.
 */
function xmlCryptoAlgorithm(alg: SignatureAlgorithmName): new () => XmlCryptoSignatureAlgorithm {
  const { createOptionalCallbackFunction } = xmlCrypto();
  return class implements XmlCryptoSignatureAlgorithm {
    getSignature = createOptionalCallbackFunction((signedInfo: string | Buffer, privateKey: KeyLike): string =>
      signOctets(signedInfo, privateKey, alg).toString('base64'),
    );
    verifySignature = createOptionalCallbackFunction(
      (material: string, key: KeyLike, signatureValue: string): boolean =>
        verifyOctets(material, Buffer.from(signatureValue, 'base64'), key, alg),
    );
    getAlgorithmName = (): string => signatureMethods[alg];
  };
}

/** xml-crypto has no SHA-384 digest; RFC 6931 §2.1.3 names it. */
class Sha384 {
  getHash = (xml: string): string => createHash('sha384').update(xml, 'utf8').digest('base64');
  getAlgorithmName = (): string => dsig.sha384;
}

/**
 * Replaces xml-crypto's algorithm tables with our allowlist, so a document
 * asking for rsa-sha1, hmac-sha1, a SHA-1 digest, inclusive or
 * `#WithComments` C14N fails inside xml-crypto too, not only in our checks.
 */
export function restrictAlgorithms(signedXml: SignedXml): void {
  const { EnvelopedSignature, Sha256, Sha512 } = xmlCryptoInternals();
  signedXml.SignatureAlgorithms = Object.fromEntries(
    (Object.keys(signatureMethods) as SignatureAlgorithmName[]).map((alg) => [
      signatureMethods[alg],
      xmlCryptoAlgorithm(alg),
    ]),
  );
  signedXml.HashAlgorithms = { [dsig.sha256]: Sha256, [dsig.sha384]: Sha384, [dsig.sha512]: Sha512 };
  signedXml.CanonicalizationAlgorithms = {
    [dsig.excC14n]: xmlCrypto().ExclusiveCanonicalization,
    [dsig.envelopedSignature]: EnvelopedSignature,
  };
}
