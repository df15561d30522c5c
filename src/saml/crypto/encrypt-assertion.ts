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
 *
 * The EncryptedData is built as a spec with node:crypto (issue 16), in the
 * shape xml-encryption 6 gave it (EncryptionMethod, a KeyInfo holding the
 * EncryptedKey with the service's certificate, CipherData), so a Response
 * holds it without a parse; the AES-GCM CipherValue is IV ‖ ciphertext ‖ tag
 * (XML Encryption 1.1 §5.2.4, a 96-bit IV and a 128-bit tag).
 */
import { constants, createCipheriv, publicEncrypt, randomBytes, X509Certificate, type KeyObject } from 'node:crypto';
import { memoByString } from '../../platform/memo.ts';
import type { SignedElement } from './sign-element.ts';
import { el, type XmlElement } from '../../platform/xml/build.ts';
import { xmlNs } from '../../platform/xml/namespaces.ts';
import { parseSamlXml } from '../../platform/xml/parse.ts';
import { writeXml } from '../../platform/xml/write.ts';

export type KeyTransport = 'rsa-oaep-mgf1p' | 'rsa-oaep-sha256';
export type DataEncryption = 'aes256-gcm' | 'aes128-gcm';

export interface EncryptionOptions {
  keyTransport?: KeyTransport;
  data?: DataEncryption;
}

export const defaultEncryption: Required<EncryptionOptions> = { keyTransport: 'rsa-oaep-mgf1p', data: 'aes256-gcm' };

const dataAlgorithms: Record<DataEncryption, { uri: string; cipher: 'aes-256-gcm' | 'aes-128-gcm'; keyBytes: number }> =
  {
    'aes256-gcm': { uri: 'http://www.w3.org/2009/xmlenc11#aes256-gcm', cipher: 'aes-256-gcm', keyBytes: 32 },
    'aes128-gcm': { uri: 'http://www.w3.org/2009/xmlenc11#aes128-gcm', cipher: 'aes-128-gcm', keyBytes: 16 },
  };

const xenc11 = 'http://www.w3.org/2009/xmlenc11#';

/** Key transports: the OAEP digest, which OpenSSL also takes for MGF1 (as both URIs want). */
const keyTransports: Record<KeyTransport, { uri: string; hash: 'sha1' | 'sha256'; digestUri: string; mgf?: string }> = {
  'rsa-oaep-mgf1p': {
    uri: 'http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p',
    hash: 'sha1',
    digestUri: 'http://www.w3.org/2000/09/xmldsig#sha1',
  },
  'rsa-oaep-sha256': {
    uri: `${xenc11}rsa-oaep`,
    hash: 'sha256',
    digestUri: 'http://www.w3.org/2001/04/xmlenc#sha256',
    mgf: `${xenc11}mgf1sha256`,
  },
};

/** The service's RSA key and certificate (base64 DER) from its PEM, checked once per certificate. */
const encryptionKeyOf = memoByString(64, (certificatePem): { key: KeyObject; certificate: string } => {
  const certificate = new X509Certificate(certificatePem);
  const publicKey = certificate.publicKey;
  if (publicKey.asymmetricKeyType !== 'rsa' || (publicKey.asymmetricKeyDetails?.modulusLength ?? 0) < 2048)
    throw new Error('the encryption certificate needs an RSA key of at least 2048 bits');
  return { key: publicKey, certificate: certificate.raw.toString('base64') };
});

export async function encryptAssertion(
  assertion: string | SignedElement,
  spEncryptionCertPem: string,
  options: EncryptionOptions = {},
): Promise<string> {
  return writeXml(await encryptedAssertionElement(assertion, spEncryptionCertPem, options));
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
  const { key, certificate } = encryptionKeyOf(spEncryptionCertPem);
  const { keyTransport, data } = { ...defaultEncryption, ...options };
  const content = dataAlgorithms[data];
  const transport = keyTransports[keyTransport];
  const contentKey = randomBytes(content.keyBytes);
  const iv = randomBytes(12);
  const cipher = createCipheriv(content.cipher, contentKey, iv);
  const cipherValue = Buffer.concat([iv, cipher.update(assertionXml, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  const encryptedKey = publicEncrypt(
    { key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: transport.hash },
    contentKey,
  );
  const x = (name: string, attributes: Record<string, string> = {}, children: XmlElement[] | string[] = []) =>
    el(xmlNs.xenc, `xenc:${name}`, attributes, children);
  const ds = (name: string, attributes: Record<string, string> = {}, children: XmlElement[] | string[] = []) =>
    el(xmlNs.dsig, `ds:${name}`, attributes, children);
  return el(xmlNs.assertion, 'saml:EncryptedAssertion', {}, [
    x('EncryptedData', { 'xmlns:xenc': xmlNs.xenc, Type: 'http://www.w3.org/2001/04/xmlenc#Element' }, [
      x('EncryptionMethod', { Algorithm: content.uri }),
      ds('KeyInfo', { 'xmlns:ds': xmlNs.dsig }, [
        x('EncryptedKey', {}, [
          x('EncryptionMethod', { Algorithm: transport.uri }, [
            ...(transport.mgf ? [el(xenc11, 'xenc11:MGF', { 'xmlns:xenc11': xenc11, Algorithm: transport.mgf })] : []),
            ds('DigestMethod', { Algorithm: transport.digestUri }),
          ]),
          ds('KeyInfo', {}, [ds('X509Data', {}, [ds('X509Certificate', {}, [certificate])])]),
          x('CipherData', {}, [x('CipherValue', {}, [encryptedKey.toString('base64')])]),
        ]),
      ]),
      x('CipherData', {}, [x('CipherValue', {}, [cipherValue.toString('base64')])]),
    ]),
  ]);
}
