/**
 * Exports:
 * - `envelope(body, header?)`: a SOAP 1.1 Envelope (`soapenv:Header` only when
 *   given) whose Body carries `wsu:Id`, so WS-Security can reference it.
 * - `parseEnvelope(xml, limits?)`: parses with the hardened SAML XML parser
 *   and checks the SOAP 1.1 frame → `ParsedEnvelope`; a SOAP Fault throws
 *   `EidServerError('fault')`.
 * - `soapParseLimits`: 256 KiB, as design notes §5 `soap/transport.ts`.
 *
 * SOAP 1.1 §4: Envelope, an optional Header first, then Body. Document/literal
 * (WS-I Basic Profile 1.1 R2201) puts exactly one element in the Body; a second
 * one is where a wrapping attack would hide a message the verifier never read.
 */
import { el, type XmlChild, type XmlElement } from '../../../platform/xml/build.ts';
import { SamlXmlError } from '../../../platform/xml/errors.ts';
import { parseSamlXml, type ParseLimits } from '../../../platform/xml/parse.ts';
import { EidServerError } from './errors.ts';
import { eidNs } from './namespaces.ts';
import { elementChildren } from './read.ts';

export const soapParseLimits: Partial<ParseLimits> = {
  maxBytes: 256 * 1024,
  maxDepth: 32,
  maxNodes: 5_000,
  maxAttributes: 30,
};

export interface ParsedEnvelope {
  document: Document;
  envelope: Element;
  header: Element | undefined;
  body: Element;
  /** The one element in the Body. */
  message: Element;
}

export function envelope(message: XmlElement, bodyId: string, header: readonly XmlChild[] = []): XmlElement {
  return el(
    eidNs.soap,
    'soapenv:Envelope',
    { 'xmlns:eid': eidNs.eid, 'xmlns:dss': eidNs.dss, 'xmlns:wsu': eidNs.wsu },
    [
      header.length > 0 && el(eidNs.soap, 'soapenv:Header', {}, header),
      el(eidNs.soap, 'soapenv:Body', { 'wsu:Id': bodyId }, [message]),
    ],
  );
}

export function parseXml(xml: string, limits: Partial<ParseLimits> = soapParseLimits): Document {
  try {
    return parseSamlXml(xml, limits);
  } catch (error) {
    if (error instanceof SamlXmlError)
      throw new EidServerError(error.code === 'too_large' ? 'too_large' : 'xml', error.code);
    throw error;
  }
}

export function parseEnvelope(xml: string, limits: Partial<ParseLimits> = soapParseLimits): ParsedEnvelope {
  const document = parseXml(xml, limits);
  const root = document.documentElement;
  if (!root || root.localName !== 'Envelope') throw new EidServerError('envelope', 'no Envelope');
  // A SOAP 1.2 envelope (http://www.w3.org/2003/05/soap-envelope) is another protocol, not a variant.
  if (root.namespaceURI !== eidNs.soap) throw new EidServerError('envelope', 'not the SOAP 1.1 namespace');
  const children = elementChildren(root);
  const isSoap = (element: Element | undefined, name: string) =>
    element?.localName === name && element.namespaceURI === eidNs.soap;
  const header = isSoap(children[0], 'Header') ? children.shift() : undefined;
  const [body, ...rest] = children;
  if (!body || !isSoap(body, 'Body')) throw new EidServerError('envelope', 'Body missing');
  if (rest.length > 0) throw new EidServerError('envelope', 'content after Body');
  if (document.getElementsByTagNameNS(eidNs.soap, 'Body').length !== 1)
    throw new EidServerError('envelope', 'more than one Body');
  const [message, ...more] = elementChildren(body);
  if (!message || more.length > 0) throw new EidServerError('envelope', 'the Body must hold exactly one element');
  if (message.localName === 'Fault' && message.namespaceURI === eidNs.soap) throw new EidServerError('fault');
  return { document, envelope: root, header, body, message };
}
