import { DOMParser } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import { decrypt } from 'xml-encryption';
import type { SamlFixture } from '../../lib/types.ts';

const ns = {
  protocol: 'urn:oasis:names:tc:SAML:2.0:protocol',
  assertion: 'urn:oasis:names:tc:SAML:2.0:assertion',
  dsig: 'http://www.w3.org/2000/09/xmldsig#',
  xenc: 'http://www.w3.org/2001/04/xmlenc#',
};

const parse = (xml: string) => {
  const root = new DOMParser().parseFromString(xml, 'text/xml').documentElement;
  if (!root) throw new Error('not XML');
  return root;
};
const child = (parent: Element, namespace: string, name: string) =>
  Array.from(parent.childNodes).find(
    (node): node is Element =>
      node.nodeType === 1 && (node as Element).namespaceURI === namespace && (node as Element).localName === name,
  );
const text = (parent: Element | undefined, namespace: string, name: string) =>
  parent ? (child(parent, namespace, name)?.textContent ?? undefined) : undefined;

/** The element's own enveloped signature verifies with `certificatePem` and signs that element (by its ID). */
function checkSigned(xml: string, element: Element, certificatePem: string, what: string): void {
  const signature = child(element, ns.dsig, 'Signature');
  if (!signature) throw new Error(`${what} is not signed`);
  const verifier = new SignedXml({ publicCert: certificatePem, getCertFromKeyInfo: () => null });
  verifier.loadSignature(signature);
  if (!verifier.checkSignature(xml)) throw new Error(`${what}'s signature does not verify`);
  const [signed] = verifier.getSignedReferences();
  if (!signed || parse(signed).getAttribute('ID') !== element.getAttribute('ID'))
    throw new Error(`${what}'s signature does not sign it`);
}

/**
 * What node-saml checks in a Response (signed Response, signed assertion,
 * issuer, destination, audience, a NameID), for SimpleSAMLphp's Responses,
 * which node-saml 5 cannot decrypt: SimpleSAMLphp 1.19 encrypts with
 * AES-128-CBC, and xml-encryption, under node-saml, refuses AES-CBC
 * (https://www.w3.org/TR/xmlenc-core1/#sec-edata-attacks) unless told not to.
 * Here it is told not to.
 */
export async function validateSimpleSamlPhpResponse(posted: string, fixture: SamlFixture): Promise<void> {
  const xml = Buffer.from(posted, 'base64').toString('utf8');
  const response = parse(xml);
  const [certificate] = fixture.idpCertificates;
  if (!certificate) throw new Error('no IdP certificate');
  checkSigned(xml, response, certificate, 'the Response');
  if (text(response, ns.assertion, 'Issuer') !== fixture.idpEntityId)
    throw new Error('the Response has another issuer');
  if (response.getAttribute('Destination') !== fixture.acs) throw new Error('the Response is for another ACS');
  const data = child(child(response, ns.assertion, 'EncryptedAssertion') ?? response, ns.xenc, 'EncryptedData');
  if (!data) throw new Error('the assertion is not encrypted');
  const plain = await new Promise<string>((resolve, reject) =>
    decrypt(
      data as unknown as string,
      {
        key: fixture.encryption.privateKeyPem,
        disallowDecryptionWithInsecureAlgorithm: false,
        warnInsecureAlgorithm: false,
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    ),
  );
  const assertion = parse(plain);
  checkSigned(plain, assertion, certificate, 'the assertion');
  const conditions = child(assertion, ns.assertion, 'Conditions');
  const audience = conditions && child(conditions, ns.assertion, 'AudienceRestriction');
  if (text(audience, ns.assertion, 'Audience') !== fixture.entityId)
    throw new Error('the assertion is for another audience');
  if (!text(child(assertion, ns.assertion, 'Subject'), ns.assertion, 'NameID'))
    throw new Error('the assertion has no NameID');
}
