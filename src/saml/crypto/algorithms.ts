/**
 * Exports:
 * - `dsig`: the URIs of the only canonicalization, transforms and digest we
 *   emit or accept (exclusive C14N, enveloped signature, SHA-256).
 * - `signatureMethods`: our algorithm names → SignatureMethod/SigAlg URIs.
 * - `querySignatureAlgorithms`: the subset allowed for Redirect query signatures.
 * - `signatureAlgorithmOf(uri)`: the reverse; `undefined` for anything not
 *   allowed (rsa-sha1, hmac-sha1, dsa, …).
 * - `restrictAlgorithms(signedXml)`: leaves xml-crypto only the allowlist,
 *   implemented by our own classes (ECDSA P-256 included, which it lacks).
 * - `signOctets(data, privateKeyPem, alg)`, `verifyOctets(data, signature, publicKey, alg)`.
 * - Types `SignatureAlgorithmName`, `QuerySignatureAlgorithm`.
 */
import { memoByString } from '../../platform/memo.ts';
import { constants, createPrivateKey, createPublicKey, KeyObject, sign, verify, type KeyLike } from 'node:crypto';
import { createOptionalCallbackFunction, ExclusiveCanonicalization, type SignedXml } from 'xml-crypto';
import type { SignatureAlgorithm as XmlCryptoSignatureAlgorithm } from 'xml-crypto';
import { EnvelopedSignature } from 'xml-crypto/lib/enveloped-signature.js';
import { Sha256 } from 'xml-crypto/lib/hash-algorithms.js';

export const dsig = {
  excC14n: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  envelopedSignature: 'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
  sha256: 'http://www.w3.org/2001/04/xmlenc#sha256',
} as const;

export type SignatureAlgorithmName = 'rsa-sha256' | 'rsa-pss-sha256' | 'ecdsa-sha256';

export const signatureMethods: Record<SignatureAlgorithmName, string> = {
  'rsa-sha256': 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  // RFC 6931 §2.3.10 (RSASSA-PSS, MGF1-SHA-256, salt of 32 octets).
  'rsa-pss-sha256': 'http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1',
  // RFC 6931 §2.3.6; the value is r ‖ s (XMLDSig 1.1 §6.4.3).
  'ecdsa-sha256': 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256',
};

/**
 * RSA-SHA256 and ECDSA-SHA256. RSASSA-PSS is left out: no profile defines it
 * for query signatures and no service library we know sends it; rsa-sha1,
 * dsa-sha1 and hmac are refused.
 */
export const querySignatureAlgorithms = ['rsa-sha256', 'ecdsa-sha256'] as const;
export type QuerySignatureAlgorithm = (typeof querySignatureAlgorithms)[number];

export function signatureAlgorithmOf(uri: string): SignatureAlgorithmName | undefined {
  return (Object.keys(signatureMethods) as SignatureAlgorithmName[]).find((name) => signatureMethods[name] === uri);
}

/** Signs `data` as the SignatureMethod/SigAlg `alg` prescribes. */
export function signOctets(data: string | Buffer, privateKey: KeyLike, alg: SignatureAlgorithmName): Buffer {
  const key = keyObject(privateKey, 'private');
  checkKeyType(key, alg);
  return sign('sha256', Buffer.from(data), nodeOptions(key, alg));
}

/** Verifies `signature` over `data`; false for a wrong key type rather than a throw. */
export function verifyOctets(data: string | Buffer, signature: Buffer, publicKey: KeyLike, alg: SignatureAlgorithmName): boolean {
  try {
    // A certificate, a public key or (xml-crypto's fallback) a private key: only the public part is used.
    const key = keyObject(publicKey, 'public');
    checkKeyType(key, alg);
    // r ‖ s of P-256 is exactly 64 octets; anything else is not a signature of this algorithm.
    if (alg === 'ecdsa-sha256' && signature.length !== 64) return false;
    return verify('sha256', Buffer.from(data), nodeOptions(key, alg), signature);
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
  if (alg === 'rsa-pss-sha256') return { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 };
  if (alg === 'ecdsa-sha256') return { key, dsaEncoding: 'ieee-p1363' as const };
  return { key };
}

function checkKeyType(key: KeyObject, alg: SignatureAlgorithmName): void {
  const type = key.asymmetricKeyType;
  const ok = alg === 'ecdsa-sha256' ? type === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1' : type === 'rsa';
  if (!ok) throw new Error(`key type ${type ?? 'unknown'} does not fit ${alg}`);
}

/**
 * xml-crypto signature algorithm classes that sign and verify through
 * `signOctets`/`verifyOctets`, so the key type is checked against the
 * SignatureMethod: Node's `createVerify('RSA-SHA256')` would otherwise accept
 * an ECDSA signature from an EC key under an rsa-sha256 label.
 */
function xmlCryptoAlgorithm(alg: SignatureAlgorithmName): new () => XmlCryptoSignatureAlgorithm {
  return class implements XmlCryptoSignatureAlgorithm {
    getSignature = createOptionalCallbackFunction((signedInfo: string | Buffer, privateKey: KeyLike): string => signOctets(signedInfo, privateKey, alg).toString('base64'));
    verifySignature = createOptionalCallbackFunction((material: string, key: KeyLike, signatureValue: string): boolean => verifyOctets(material, Buffer.from(signatureValue, 'base64'), key, alg));
    getAlgorithmName = (): string => signatureMethods[alg];
  };
}

/**
 * Replaces xml-crypto's algorithm tables with our allowlist, so a document
 * asking for rsa-sha1, hmac-sha1, a SHA-1 digest, inclusive or
 * `#WithComments` C14N fails inside xml-crypto too, not only in our checks.
 */
export function restrictAlgorithms(signedXml: SignedXml): void {
  signedXml.SignatureAlgorithms = Object.fromEntries((Object.keys(signatureMethods) as SignatureAlgorithmName[]).map((alg) => [signatureMethods[alg], xmlCryptoAlgorithm(alg)]));
  signedXml.HashAlgorithms = { [dsig.sha256]: Sha256 };
  signedXml.CanonicalizationAlgorithms = { [dsig.excC14n]: ExclusiveCanonicalization, [dsig.envelopedSignature]: EnvelopedSignature };
}
