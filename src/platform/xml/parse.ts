/**
 * Exports:
 * - `parseSamlXml(xml, limits?): Document` — the one way inbound SAML XML is
 *   parsed (messages and metadata). Throws `SamlXmlError`.
 * - `ParseLimits`, `defaultParseLimits`.
 *
 * Every parse goes through the same @xmldom/xmldom copy that xml-crypto uses,
 * so what is verified and what is read cannot differ by parser (the lesson of
 * ruby-saml CVE-2025-25291/25292).
 */
import { SamlXmlError } from './errors.ts';
import { hasNonXmlChar } from './xml-char.ts';
import { xmldom } from './libraries.ts';

export interface ParseLimits {
  /** UTF-8 bytes of the document. */
  maxBytes: number;
  /** Element nesting; SAML messages nest about 10 deep. */
  maxDepth: number;
  /** Nodes of every kind (elements, attributes, text, comments). */
  maxNodes: number;
  /** Attributes on one element, namespace declarations included. */
  maxAttributes: number;
}

/**
 * Sized for protocol messages: the POST binding field is capped at 60,000
 * base64 characters (45 KB of XML) and the Redirect binding inflates to at
 * most 64 KiB. Metadata callers pass larger limits.
 */
export const defaultParseLimits: ParseLimits = {
  maxBytes: 128 * 1024,
  maxDepth: 64,
  maxNodes: 20_000,
  maxAttributes: 100,
};

// The optional XML declaration (XML 1.0 §2.8, production [23]); anything else starting with `<?` is a PI.
const xmlDeclaration =
  /^<\?xml[ \t\r\n]+version[ \t\r\n]*=[ \t\r\n]*(["'])1\.[0-9]+\1(?:[ \t\r\n]+encoding[ \t\r\n]*=[ \t\r\n]*(["'])([A-Za-z][A-Za-z0-9._-]*)\2)?(?:[ \t\r\n]+standalone[ \t\r\n]*=[ \t\r\n]*(["'])(?:yes|no)\4)?[ \t\r\n]*\?>/;
// Any markup declaration: DOCTYPE, ENTITY, ELEMENT, ATTLIST, NOTATION. Comments and CDATA are allowed.
const markupDeclaration = /<!(?!--|\[CDATA\[)/;

export function parseSamlXml(xml: string, limits: Partial<ParseLimits> = {}): Document {
  const limit = { ...defaultParseLimits, ...limits };
  if (Buffer.byteLength(xml, 'utf8') > limit.maxBytes) throw new SamlXmlError('too_large');
  if (hasNonXmlChar(xml)) throw new SamlXmlError('invalid_char');
  const body = stripDeclaration(xml);
  // Refused on the text, before any parser runs: xmldom reports an undefined
  // entity only as an error and xmllint validates a DTD-carrying document as
  // schema-valid (measured), so neither may be the line of defence against
  // XXE and entity expansion (OWASP XXE Prevention Cheat Sheet).
  if (markupDeclaration.test(body)) throw new SamlXmlError('dtd');
  if (body.includes('<?')) throw new SamlXmlError('processing_instruction');

  const problems: string[] = [];
  let doc: Document;
  try {
    doc = new (xmldom().DOMParser)({
      locator: {},
      errorHandler: (level: string, message: string) => problems.push(`${level}: ${message.split('\n')[0] ?? ''}`),
    }).parseFromString(body, 'text/xml');
  } catch (error) {
    // xmldom throws on a fatal error (its ParseError): the input's fault like any other malformed XML.
    throw new SamlXmlError('malformed', error instanceof Error ? error.message.split('\n')[0] : undefined);
  }
  // Warnings included: xmldom recovers from unclosed attributes and missing quotes with a warning.
  if (problems.length > 0) throw new SamlXmlError('malformed', problems[0]);
  checkTree(doc, limit);
  return doc;
}

function stripDeclaration(xml: string): string {
  const text = xml.startsWith('\uFEFF') ? xml.slice(1) : xml;
  if (!/^<\?xml[ \t\r\n]/.test(text)) return text;
  const match = xmlDeclaration.exec(text);
  if (!match) throw new SamlXmlError('malformed', 'XML declaration');
  const encoding = match[3];
  // The text was decoded as UTF-8 before it got here; a document declaring another encoding is not what it says.
  if (encoding !== undefined && !/^utf-?8$/i.test(encoding)) throw new SamlXmlError('encoding');
  return text.slice(match[0].length);
}

const ELEMENT = 1;
const TEXT = 3;
const CDATA = 4;
const COMMENT = 8;

function checkTree(doc: Document, limit: ParseLimits): void {
  if (doc.doctype) throw new SamlXmlError('dtd');
  let roots = 0;
  for (let child = doc.firstChild; child; child = child.nextSibling) {
    if (child.nodeType === ELEMENT) roots++;
    else if (child.nodeType === TEXT && (child.nodeValue ?? '').trim() === '') continue;
    else if (child.nodeType !== COMMENT) throw new SamlXmlError('roots', 'content outside the root element');
  }
  if (roots !== 1 || !doc.documentElement) throw new SamlXmlError('roots');

  let nodes = 0;
  // Iterative walk: a deep document must not exhaust the stack before the depth check.
  const stack: { node: Node; depth: number }[] = [{ node: doc.documentElement, depth: 1 }];
  for (let item = stack.pop(); item; item = stack.pop()) {
    const { node, depth } = item;
    if (depth > limit.maxDepth) throw new SamlXmlError('too_deep');
    if (++nodes > limit.maxNodes) throw new SamlXmlError('too_many_nodes');
    if (node.nodeType === ELEMENT) {
      const element = node as Element;
      checkNamespaces(element);
      nodes += element.attributes.length;
      if (element.attributes.length > limit.maxAttributes) throw new SamlXmlError('too_many_attributes');
      for (let child = element.firstChild; child; child = child.nextSibling)
        stack.push({ node: child, depth: depth + 1 });
    } else if (node.nodeType !== TEXT && node.nodeType !== CDATA && node.nodeType !== COMMENT) {
      throw new SamlXmlError('malformed', `node type ${node.nodeType}`);
    }
  }
}

// xmldom accepts a prefix that no declaration binds (`<b:c/>`) and leaves its namespace null (Namespaces in XML §5).
function checkNamespaces(element: Element): void {
  if (element.prefix && !element.namespaceURI) throw new SamlXmlError('malformed', 'unbound prefix');
  for (let i = 0; i < element.attributes.length; i++) {
    const attribute = element.attributes.item(i);
    if (attribute?.prefix && attribute.prefix !== 'xmlns' && !attribute.namespaceURI)
      throw new SamlXmlError('malformed', 'unbound prefix');
  }
}
