/**
 * Exports:
 * - `encryptAssertion(assertionXml, spEncryptionCertPem, options?): Promise<string>`
 *   — a `saml:EncryptedAssertion` (saml-core §2.3.4) holding the (signed)
 *   assertion as `xenc:EncryptedData` with the content key in an
 *   `xenc:EncryptedKey` inside its KeyInfo, encrypted to the service's key.
 * - `encryptedAssertionElement(...)`: the same as an element to build into a Response.
 * - `defaultEncryption`, types `KeyTransport`, `DataEncryption`, `EncryptionOptions`.
 *
 * Defaults (plan §2.3, measured): AES-256-GCM for the content and
 * `rsa-oaep-mgf1p` (OAEP with SHA-1 and MGF1-SHA-1) for the key. That is the
 * one RSA-OAEP form xmlsec1 1.2.37 and node-saml 5.1.0 (the library behind
 * the BundID service integrations) both decrypt; OAEP's security does not
 * rest on SHA-1's collision resistance. `rsa-oaep-sha256` (XML Encryption
 * 1.1 §5.5.2, SHA-256 and MGF1-SHA-256) is for services that list it. No CBC
 * and no RSA PKCS#1 v1.5, which are open to padding oracles.
 */
import { X509Certificate } from 'node:crypto';
import { memoByString } from '../../platform/memo.ts';
import type { SignedElement } from './sign-element.ts';
import { encrypt } from 'xml-encryption';
import { buildXml, el, fragment, type XmlElement } from '../../platform/xml/build.ts';
import { xmlNs } from '../../platform/xml/namespaces.ts';
import { parseSamlXml } from '../../platform/xml/parse.ts';

export type KeyTransport = 'rsa-oaep-mgf1p' | 'rsa-oaep-sha256';
export type DataEncryption = 'aes256-gcm' | 'aes128-gcm';

export interface EncryptionOptions {
  keyTransport?: KeyTransport;
  data?: DataEncryption;
}

export const defaultEncryption: Required<EncryptionOptions> = { keyTransport: 'rsa-oaep-mgf1p', data: 'aes256-gcm' };

const dataAlgorithms: Record<DataEncryption, string> = {
  'aes256-gcm': 'http://www.w3.org/2009/xmlenc11#aes256-gcm',
  'aes128-gcm': 'http://www.w3.org/2009/xmlenc11#aes128-gcm',
};

const keyTransports: Record<
  KeyTransport,
  { keyEncryptionAlgorithm: string; keyEncryptionDigest: string; keyEncryptionMgf?: string }
> = {
  'rsa-oaep-mgf1p': {
    keyEncryptionAlgorithm: 'http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p',
    keyEncryptionDigest: 'sha1',
  },
  'rsa-oaep-sha256': {
    keyEncryptionAlgorithm: 'http://www.w3.org/2009/xmlenc11#rsa-oaep',
    keyEncryptionDigest: 'sha256',
    keyEncryptionMgf: 'sha256',
  },
};

/** xml-encryption 6 takes more options than @types/xml-encryption 1.2 knows (xmlenc11#rsa-oaep, digest, MGF). */
type Encrypt = (
  content: string,
  options: Record<string, unknown>,
  callback: (error: Error | null, result: string) => void,
) => void;

/** The service's RSA key from its certificate, checked and exported once per certificate. */
const encryptionKeyOf = memoByString(64, (certificatePem) => {
  const publicKey = new X509Certificate(certificatePem).publicKey;
  if (publicKey.asymmetricKeyType !== 'rsa' || (publicKey.asymmetricKeyDetails?.modulusLength ?? 0) < 2048)
    throw new Error('the encryption certificate needs an RSA key of at least 2048 bits');
  return publicKey.export({ type: 'spki', format: 'pem' });
});

export async function encryptAssertion(
  assertion: string | SignedElement,
  spEncryptionCertPem: string,
  options: EncryptionOptions = {},
): Promise<string> {
  return buildXml(await encryptedAssertionElement(assertion, spEncryptionCertPem, options));
}

/**
 * The same as an element for `xml/build.ts`, so that a Response can hold it
 * without serializing and parsing it once more. An assertion we signed
 * ourselves is known to be one (`signBuiltElement`); any other text is parsed
 * to check.
 */
export async function encryptedAssertionElement(
  assertion: string | SignedElement,
  spEncryptionCertPem: string,
  options: EncryptionOptions = {},
): Promise<XmlElement> {
  const assertionXml = typeof assertion === 'string' ? assertion : assertion.xml;
  if (typeof assertion === 'string') {
    const root = parseSamlXml(assertion).documentElement;
    if (root?.localName !== 'Assertion' || root.namespaceURI !== xmlNs.assertion)
      throw new Error('only a saml:Assertion is encrypted');
  } else if (assertion.root !== 'Assertion') {
    throw new Error('only a saml:Assertion is encrypted');
  }
  const publicKeyPem = encryptionKeyOf(spEncryptionCertPem);
  const { keyTransport, data } = { ...defaultEncryption, ...options };
  const encryptedData = await new Promise<string>((resolve, reject) => {
    (encrypt as unknown as Encrypt)(
      assertionXml,
      {
        rsa_pub: publicKeyPem,
        pem: spEncryptionCertPem,
        encryptionAlgorithm: dataAlgorithms[data],
        ...keyTransports[keyTransport],
        disallowEncryptionWithInsecureAlgorithm: true,
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
  return el(xmlNs.assertion, 'saml:EncryptedAssertion', {}, [fragment(encryptedData)]);
}
