/**
 * The XML libraries, loaded on first use rather than at start: only SAML and the eID exchange parse, build or sign
 * XML, and an idle server (or one that serves OIDC only) need not hold them (issue 16 §4: idle RSS ≤ 120 MB; about
 * 2 MB of heap and 0.5 MB of source). They are CommonJS, so a synchronous require() suffices and callers stay
 * synchronous; the first SAML request pays the load (a few milliseconds), later ones find them loaded. Import
 * their types with `import type` only, and their values through these functions.
 */
import { createRequire } from 'node:module';
import type * as XmlCrypto from 'xml-crypto';
import type * as EnvelopedSignature from 'xml-crypto/lib/enveloped-signature.js';
import type * as HashAlgorithms from 'xml-crypto/lib/hash-algorithms.js';
import type * as Xmldom from '@xmldom/xmldom';
import type * as XmlEncryption from 'xml-encryption';

const load = createRequire(import.meta.url);
let xmlCryptoModule: typeof XmlCrypto | undefined;
/** What xmlCryptoInternals gives. */
interface XmlCryptoInternals {
  EnvelopedSignature: typeof EnvelopedSignature.EnvelopedSignature;
  Sha256: typeof HashAlgorithms.Sha256;
  Sha512: typeof HashAlgorithms.Sha512;
}
let xmlCryptoInternalModules: XmlCryptoInternals | undefined;
let xmldomModule: typeof Xmldom | undefined;
let xmlEncryptionModule: typeof XmlEncryption | undefined;

/** xml-crypto: XML signatures (XMLDSig) and exclusive C14N. */
export function xmlCrypto(): typeof XmlCrypto {
  xmlCryptoModule ??= load('xml-crypto') as typeof XmlCrypto;
  return xmlCryptoModule;
}

/** The parts of xml-crypto its index does not export: the enveloped-signature transform, its digests. */
export function xmlCryptoInternals(): XmlCryptoInternals {
  if (!xmlCryptoInternalModules) {
    const { Sha256, Sha512 } = load('xml-crypto/lib/hash-algorithms.js') as typeof HashAlgorithms;
    const enveloped = load('xml-crypto/lib/enveloped-signature.js') as typeof EnvelopedSignature;
    xmlCryptoInternalModules = { EnvelopedSignature: enveloped.EnvelopedSignature, Sha256, Sha512 };
  }
  return xmlCryptoInternalModules;
}

/** @xmldom/xmldom: the DOM, its parser and serialiser. */
export function xmldom(): typeof Xmldom {
  xmldomModule ??= load('@xmldom/xmldom') as typeof Xmldom;
  return xmldomModule;
}

/** xml-encryption: XML Encryption (decrypting an EncryptedID). */
export function xmlEncryption(): typeof XmlEncryption {
  xmlEncryptionModule ??= load('xml-encryption') as typeof XmlEncryption;
  return xmlEncryptionModule;
}
