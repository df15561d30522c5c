/**
 * Exports `decryptNameId(encryptedId, privateKeysPem): Promise<string | undefined>`
 * — the NameID inside a LogoutRequest's `saml:EncryptedID` (saml-core
 * §2.2.4, §3.7.1), decrypted with our encryption key. Shibboleth SP 3
 * encrypts it by default because our metadata publishes that key.
 *
 * Called only after the message's signature was verified: the ciphertext is
 * then the service's own, so AES-CBC (which Shibboleth may pick) offers no
 * padding oracle here (XML Encryption 1.1 §6.1.1 warns of it for unsigned
 * input). Key transport RSA-OAEP only, never RSA PKCS#1 v1.5
 * (XML Encryption 1.1 §5.5.1 note); no Triple DES.
 *
 * The EncryptedKey may sit inside EncryptedData's KeyInfo or beside it in
 * the EncryptedID (saml-core §2.2.4 allows both; OpenSAML puts it beside,
 * with a RetrievalMethod or none): a key beside it is moved in, so one
 * shape is decrypted. Undefined for anything that does not decrypt to one NameID.
 */
import { childElements, singleChild, textOf } from '../authn-request/elements.ts';
import { ns } from '../constants.ts';
import { parseSamlXml } from '../../platform/xml/parse.ts';
import { xmlEncryption } from '../../platform/xml/libraries.ts';

export const nameIdDataAlgorithms: readonly string[] = [
  'http://www.w3.org/2009/xmlenc11#aes256-gcm',
  'http://www.w3.org/2009/xmlenc11#aes128-gcm',
  'http://www.w3.org/2001/04/xmlenc#aes256-cbc',
  'http://www.w3.org/2001/04/xmlenc#aes128-cbc',
];
export const nameIdKeyTransports: readonly string[] = [
  'http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p',
  'http://www.w3.org/2009/xmlenc11#rsa-oaep',
];

const algorithmOf = (parent: Element) => {
  const method = singleChild(parent, ns.xenc, 'EncryptionMethod');
  return method && method !== 'many' ? (method.getAttribute('Algorithm') ?? '') : '';
};

/**
 * EncryptedData with its one EncryptedKey inside KeyInfo, on a copy; undefined when the shape or an algorithm is not
 * ours.
 */
function normalised(encryptedId: Element): Element | undefined {
  const data = singleChild(encryptedId, ns.xenc, 'EncryptedData');
  if (!data || data === 'many' || !nameIdDataAlgorithms.includes(algorithmOf(data))) return undefined;
  const copy = data.cloneNode(true) as Element;
  let keyInfo = singleChild(copy, ns.dsig, 'KeyInfo');
  if (keyInfo === 'many') return undefined;
  const inside = keyInfo ? childElements(keyInfo, ns.xenc, 'EncryptedKey') : [];
  const beside = childElements(encryptedId, ns.xenc, 'EncryptedKey');
  if (inside.length + beside.length !== 1) return undefined;
  const key = inside[0] ?? (beside[0]?.cloneNode(true) as Element);
  if (!nameIdKeyTransports.includes(algorithmOf(key))) return undefined;
  if (inside.length === 0) {
    const document = copy.ownerDocument;
    if (!keyInfo) {
      keyInfo = document.createElementNS(ns.dsig, 'ds:KeyInfo');
      copy.insertBefore(keyInfo, singleChild(copy, ns.xenc, 'CipherData') as Element);
    }
    for (const child of Array.from(keyInfo.childNodes)) keyInfo.removeChild(child);
    keyInfo.appendChild(key);
  }
  return copy;
}

const decrypted = (data: Element, privateKeyPem: string) =>
  new Promise<string | undefined>((resolve) => {
    // The allowlist above replaces the library's, which also refuses AES-CBC.
    xmlEncryption().decrypt(
      data as unknown as string,
      { key: privateKeyPem, disallowDecryptionWithInsecureAlgorithm: false, warnInsecureAlgorithm: false },
      (error, result) => resolve(error ? undefined : result),
    );
  });

export async function decryptNameId(
  encryptedId: Element,
  privateKeysPem: readonly string[],
): Promise<string | undefined> {
  const data = normalised(encryptedId);
  if (!data) return undefined;
  for (const privateKeyPem of privateKeysPem) {
    const plain = await decrypted(data, privateKeyPem);
    if (plain === undefined) continue;
    // The plaintext is an element without the context's namespace declarations; the SAML one is given.
    let wrapper: Element | null;
    try {
      wrapper = parseSamlXml(`<w xmlns:saml="${ns.assertion}">${plain}</w>`).documentElement;
    } catch {
      return undefined;
    }
    const elements = wrapper ? Array.from(wrapper.childNodes).filter((node) => node.nodeType === 1) : [];
    const nameId = wrapper && elements.length === 1 ? singleChild(wrapper, ns.assertion, 'NameID') : undefined;
    return nameId && nameId !== 'many' && textOf(nameId) !== '' ? textOf(nameId) : undefined;
  }
  return undefined;
}
