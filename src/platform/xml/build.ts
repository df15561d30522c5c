/**
 * Exports:
 * - `el(ns, qualifiedName, attributes?, children?): XmlElement` — describes an
 *   element; strings among the children become text nodes.
 * - `fragment(xml): XmlFragment` — an already built and serialized element
 *   (a signed Assertion, an EncryptedAssertion) to embed; it is parsed with
 *   `parseSamlXml`, never concatenated.
 * - `buildDocument(root): Document`, `serializeXml(node): string`,
 *   `buildXml(root): string` (both steps).
 * - Types `XmlElement`, `XmlFragment`, `XmlChild`, `XmlAttributes`.
 *
 * Escaping by construction (STYLE.md habit 11): values only ever become DOM
 * text or attribute nodes, and the serializer escapes them, so a value such
 * as `</saml:AttributeValue><saml:Attribute Name="x">` stays one text node.
 * Attribute keys: `Name` (no namespace), `xmlns:p` (declares p), `xml:lang`,
 * or `p:Name` where p is bound by this element or an ancestor.
 */
import { SamlXmlError } from './errors.ts';
import { xmlNs } from './namespaces.ts';
import { parseSamlXml } from './parse.ts';
import { hasNonXmlChar } from './xml-char.ts';
import { hasFragment, writeXml } from './write.ts';
import { xmldom } from './libraries.ts';

export type XmlAttributes = Readonly<Record<string, string | undefined>>;

export interface XmlElement {
  readonly kind: 'element';
  readonly ns: string;
  readonly name: string;
  readonly attributes: XmlAttributes;
  readonly children: readonly XmlChild[];
}

export interface XmlFragment {
  readonly kind: 'fragment';
  readonly root: Element;
}

/** `null`, `undefined` and `false` are skipped, so optional parts can be written inline. */
export type XmlChild = XmlElement | XmlFragment | string | null | undefined | false;

export function el(
  ns: string,
  name: string,
  attributes: XmlAttributes = {},
  children: readonly XmlChild[] = [],
): XmlElement {
  return { kind: 'element', ns, name, attributes, children };
}

export function fragment(xml: string): XmlFragment {
  const root = parseSamlXml(xml).documentElement;
  if (!root) throw new SamlXmlError('roots');
  return { kind: 'fragment', root };
}

export function buildDocument(root: XmlElement): Document {
  const doc = new (xmldom().DOMImplementation)().createDocument(root.ns, root.name, null);
  const element = doc.documentElement;
  if (!element) throw new Error('no document element');
  fill(doc, element, root, new Map([['xml', xmlNs.xml]]));
  return doc;
}

/** Serializes with xmldom's well-formedness checks, which refuse names and content that would change the markup. */
export function serializeXml(node: Document | Element): string {
  return new (xmldom().XMLSerializer)().serializeToString(node, false, undefined, { requireWellFormed: true });
}

export function buildXml(root: XmlElement): string {
  // Written directly, without a DOM (write.ts, proven to give the same document); a spec holding a parsed fragment
  // goes through xmldom, which imports the fragment's nodes.
  return hasFragment(root) ? serializeXml(buildDocument(root)) : writeXml(root);
}

function fill(doc: Document, element: Element, spec: XmlElement, parentScope: ReadonlyMap<string, string>): void {
  const scope = new Map(parentScope);
  const prefix = prefixOf(spec.name);
  if (prefix) scope.set(prefix, spec.ns);
  for (const [key, value] of Object.entries(spec.attributes)) {
    if (value !== undefined && key.startsWith('xmlns:')) scope.set(key.slice('xmlns:'.length), value);
  }
  for (const [key, value] of Object.entries(spec.attributes)) {
    if (value === undefined) continue;
    if (hasNonXmlChar(value)) throw new SamlXmlError('invalid_char', `attribute ${key}`);
    element.setAttributeNS(attributeNamespace(key, scope), key, value);
  }
  for (const child of spec.children) {
    if (child === null || child === undefined || child === false) continue;
    if (typeof child === 'string') {
      element.appendChild(doc.createTextNode(text(child)));
    } else if (child.kind === 'fragment') {
      element.appendChild(doc.importNode(child.root, true));
    } else {
      const node = doc.createElementNS(child.ns, child.name);
      element.appendChild(node);
      fill(doc, node, child, scope);
    }
  }
}

function text(value: string): string {
  if (hasNonXmlChar(value)) throw new SamlXmlError('invalid_char', 'text');
  // A parser turns a literal CR into LF (XML 1.0 §2.11) and xmldom writes CR in
  // text unescaped; normalising first keeps what a signature covers equal to
  // what the receiver reads.
  return value.replace(/\r\n?/g, '\n');
}

function prefixOf(name: string): string | undefined {
  const colon = name.indexOf(':');
  return colon > 0 ? name.slice(0, colon) : undefined;
}

function attributeNamespace(key: string, scope: ReadonlyMap<string, string>): string | null {
  if (key === 'xmlns') throw new Error('default namespace declarations are not supported; give the element a prefix');
  const prefix = prefixOf(key);
  if (!prefix) return null;
  if (prefix === 'xmlns') return xmlNs.xmlns;
  const ns = scope.get(prefix);
  if (!ns) throw new Error(`attribute ${key}: prefix ${prefix} is not bound`);
  return ns;
}
