/**
 * Exports `c14nCorpus`: element specs that test the canonicalizer and the
 * writer against xml-crypto, libxml2 and xmldom (`exc-c14n.test.ts`,
 * `write.test.ts`): the SAML messages we sign, nested and repeated namespace
 * declarations, QNames in content, attributes in every order, the characters
 * C14N escapes, non-ASCII text, empty elements and whitespace.
 */
import { el, type XmlElement } from './build.ts';
import { xmlNs } from './namespaces.ts';

const akdb = 'https://www.akdb.de/request/2018/09';
const xs = 'http://www.w3.org/2001/XMLSchema';
const specials = 'a & b < c > d " e \' f\tg\nh\ri\r\nj ]]> k';
const umlauts = 'Jürgen Größe-Ärztin ÖÜß 𝔘 € \u00A0 日本';

const issuer = (value = 'https://idp.example/saml/metadata') => el(xmlNs.assertion, 'saml:Issuer', {}, [value]);

function assertion(id: string, attributeValues: readonly string[]): XmlElement {
  return el(
    xmlNs.assertion,
    'saml:Assertion',
    { 'xmlns:xs': xs, 'xmlns:xsi': xmlNs.xsi, 'xmlns:akdb': akdb, ID: id, Version: '2.0', IssueInstant: 'x' },
    [
      issuer(),
      el(xmlNs.assertion, 'saml:Subject', {}, [
        el(xmlNs.assertion, 'saml:NameID', { Format: 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient' }, ['n']),
        el(xmlNs.assertion, 'saml:SubjectConfirmation', { Method: 'urn:oasis:names:tc:SAML:2.0:cm:bearer' }, [
          el(xmlNs.assertion, 'saml:SubjectConfirmationData', {
            Recipient: 'https://sp/acs?a=1&b=2',
            InResponseTo: '_q',
          }),
        ]),
      ]),
      el(
        xmlNs.assertion,
        'saml:AttributeStatement',
        {},
        attributeValues.map((value, i) =>
          el(
            xmlNs.assertion,
            'saml:Attribute',
            {
              Name: `urn:oid:${i}`,
              NameFormat: 'urn:oasis:names:tc:SAML:2.0:attrname-format:uri',
              'akdb:TrustLevel': 'HOCH',
            },
            [el(xmlNs.assertion, 'saml:AttributeValue', { 'xsi:type': 'xs:string' }, [value])],
          ),
        ),
      ),
    ],
  );
}

export const c14nCorpus: Record<string, XmlElement> = {
  assertion: assertion('_a1', ['Erika', specials, umlauts, '', '  leading and trailing  ', '\n\t\n']),
  'response with an assertion inside': el(
    xmlNs.protocol,
    'samlp:Response',
    { 'xmlns:saml': xmlNs.assertion, ID: '_r1', Version: '2.0', Destination: 'https://sp/acs', InResponseTo: '_q' },
    [
      issuer(),
      el(xmlNs.protocol, 'samlp:Status', {}, [
        el(xmlNs.protocol, 'samlp:StatusCode', { Value: 'urn:oasis:names:tc:SAML:2.0:status:Responder' }, [
          el(xmlNs.protocol, 'samlp:StatusCode', { Value: 'urn:oasis:names:tc:SAML:2.0:status:RequestDenied' }),
        ]),
        el(xmlNs.protocol, 'samlp:StatusMessage', {}, [specials]),
      ]),
      assertion('_a2', [umlauts]),
    ],
  ),
  'encrypted assertion and a signature': el(
    xmlNs.protocol,
    'samlp:Response',
    { 'xmlns:saml': xmlNs.assertion, ID: '_r2', Version: '2.0' },
    [
      issuer(),
      el(xmlNs.dsig, 'ds:Signature', { 'xmlns:ds': xmlNs.dsig }, [
        el(xmlNs.dsig, 'ds:SignedInfo', {}, [
          el(xmlNs.dsig, 'ds:CanonicalizationMethod', { Algorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#' }),
          el(xmlNs.dsig, 'ds:Reference', { URI: '#_r2' }, [el(xmlNs.dsig, 'ds:DigestValue', {}, ['AAAA+/=='])]),
        ]),
      ]),
      el(xmlNs.assertion, 'saml:EncryptedAssertion', {}, [
        el(
          xmlNs.xenc,
          'xenc:EncryptedData',
          { 'xmlns:xenc': xmlNs.xenc, Type: 'http://www.w3.org/2001/04/xmlenc#Element' },
          [
            el(xmlNs.xenc, 'xenc:EncryptionMethod', { Algorithm: 'http://www.w3.org/2009/xmlenc11#aes256-gcm' }),
            el(xmlNs.dsig, 'ds:KeyInfo', { 'xmlns:ds': xmlNs.dsig }, [
              el(xmlNs.xenc, 'xenc:EncryptedKey', {}, [
                el(xmlNs.xenc, 'xenc:EncryptionMethod', { Algorithm: 'http://www.w3.org/2009/xmlenc11#rsa-oaep' }, [
                  el('http://www.w3.org/2009/xmlenc11#', 'xenc11:MGF', {
                    Algorithm: 'http://www.w3.org/2009/xmlenc11#mgf1sha256',
                  }),
                  el(xmlNs.dsig, 'ds:DigestMethod', { Algorithm: 'http://www.w3.org/2001/04/xmlenc#sha256' }),
                ]),
              ]),
            ]),
            el(xmlNs.xenc, 'xenc:CipherData', {}, [el(xmlNs.xenc, 'xenc:CipherValue', {}, ['QUJD'])]),
          ],
        ),
      ]),
    ],
  ),
  'attribute order: namespace URI first, then local name; declarations by prefix': el(
    'urn:z',
    'z:root',
    {
      'xmlns:b': 'urn:a',
      'xmlns:a': 'urn:b',
      'xmlns:unused': 'urn:unused',
      'b:zeta': '1',
      'a:alpha': '2',
      zeta: '3',
      Alpha: '4',
      'b:Alpha': '5',
      'xml:lang': 'de',
      alpha: '6',
    },
    [
      el('urn:z', 'z:child', { 'a:x': 'same binding again', 'b:y': 'y' }, [
        el('urn:other', 'z:rebound', { 'z:q': 'the z prefix bound anew' }),
      ]),
      el('urn:a', 'b:sibling', {}, ['the sibling renders b itself']),
    ],
  ),
  'special characters in attributes and text': el(
    'urn:x',
    'x:e',
    { a: specials, b: umlauts, c: '', d: '\t\t', e: '>' },
    [specials, el('urn:x', 'x:empty'), el('urn:x', 'x:emptyText', {}, ['']), umlauts, ' \n '],
  ),
  'no namespace at all': el('', 'TCToken', {}, [el('', 'ServerAddress', {}, ['https://eid.example/ä?x=1&y=2'])]),
  'metadata with xml:lang': el(
    xmlNs.metadata,
    'md:EntityDescriptor',
    { ID: '_m1', entityID: 'https://idp.example/saml/metadata' },
    [
      el(xmlNs.metadata, 'md:Organization', {}, [
        el(xmlNs.metadata, 'md:OrganizationName', { 'xml:lang': 'de' }, ['Freistaat & Land']),
      ]),
    ],
  ),
};
