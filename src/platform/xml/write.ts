/**
 * Exports:
 * - `writeXml(root): string` — the text of an element spec (`build.ts`),
 *   written directly instead of through an xmldom Document: the same bytes
 *   the Document gives once parsed and serialized again (what xml-crypto
 *   wrote for a signed element; tested on a corpus in `write.test.ts`), for
 *   specs without parsed fragments; `buildXml` uses it for those. The one
 *   difference to the Document's own text: an element whose only text is
 *   empty is written `<x/>`, as after a parse.
 * - `hasFragment(spec)`: whether a spec holds a parsed fragment anywhere
 *   (those go through `buildXml`).
 * - Helpers shared with `exc-c14n.ts`: `elementScope`, `attributeNamespace`,
 *   `prefixOf`, `localNameOf`, `presentChildren`, `checkedText`, `checkedValue`.
 *
 * The checks are `buildXml`'s: a name must be a QName (XML Namespaces §3),
 * a value must hold XML Chars only (XML 1.0 §2.2), an attribute prefix must be
 * bound, CR in text becomes LF (what a parser would read, §2.11). The
 * layout is xmldom 0.8's: attributes in the order given, the declaration of
 * an element's own prefix after its attributes when no ancestor or attribute
 * declares it, `<x/>` for an element without children; `<`, `>` and `&`
 * escaped in text, and `<`, `>`, `&`, `"`, tab, LF and CR in attribute values.
 */
import { SamlXmlError } from './errors.ts';
import { xmlNs } from './namespaces.ts';
import { hasNonXmlChar } from './xml-char.ts';
import type { XmlChild, XmlElement, XmlFragment } from './build.ts';

export type PrefixScope = ReadonlyMap<string, string>;

/** The root scope: only `xml` is bound (Namespaces in XML §3). */
export const rootScope: PrefixScope = new Map([['xml', xmlNs.xml]]);

export function writeXml(root: XmlElement): string {
  const out: string[] = [];
  write(root, rootScope, new Map([['xml', xmlNs.xml]]), out);
  return out.join('');
}

export function hasFragment(spec: XmlElement): boolean {
  for (const child of spec.children) {
    if (typeof child !== 'object' || child === null) continue;
    if (child.kind === 'fragment' || hasFragment(child)) return true;
  }
  return false;
}

/**
 * `declared` is what the text written so far declares for this element's
 * children (xmldom's "visible namespaces"); `scope` is the spec's binding,
 * which also counts an element's own prefix.
 */
function write(spec: XmlElement, parentScope: PrefixScope, declared: PrefixScope, out: string[]): void {
  checkName(spec.name);
  const scope = elementScope(spec, parentScope);
  const visible = new Map(declared);
  out.push('<', spec.name);
  for (const [key, value] of Object.entries(spec.attributes)) {
    if (value === undefined) continue;
    if (key === 'xmlns') throw new Error('default namespace declarations are not supported; give the element a prefix');
    checkName(key);
    if (key.startsWith('xmlns:')) visible.set(key.slice('xmlns:'.length), value);
  }
  for (const [key, value] of Object.entries(spec.attributes)) {
    if (value === undefined) continue;
    const ns = attributeNamespace(key, scope);
    const prefix = prefixOf(key);
    if (prefix && ns && ns !== xmlNs.xmlns && !(prefix === 'xml' && ns === xmlNs.xml) && visible.get(prefix) !== ns) {
      attribute(out, `xmlns:${prefix}`, ns);
      visible.set(prefix, ns);
    }
    attribute(out, key, checkedValue(value, key));
  }
  const prefix = prefixOf(spec.name) ?? '';
  if (spec.ns && visible.get(prefix) !== spec.ns) {
    // xmldom would look for another prefix bound to the namespace; we keep to prefixed names.
    if (!prefix) throw new Error(`element ${spec.name}: give an element in a namespace a prefix`);
    attribute(out, `xmlns:${prefix}`, spec.ns);
    visible.set(prefix, spec.ns);
  }
  const children = presentChildren(spec).filter((child) => child !== '');
  if (children.length === 0) {
    out.push('/>');
    return;
  }
  out.push('>');
  for (const child of children) {
    if (typeof child === 'string') out.push(escapeText(checkedText(child)));
    else if (child.kind === 'fragment') throw new Error('writeXml does not take parsed fragments; use buildXml');
    else write(child, scope, visible, out);
  }
  out.push('</', spec.name, '>');
}

function attribute(out: string[], name: string, value: string): void {
  out.push(' ', name, '="', value.replace(/[<>&"\t\n\r]/g, escapeChar), '"');
}

const escapeText = (text: string): string => text.replace(/[<>&]/g, escapeChar);

const escapeChar = (c: string): string =>
  c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : c === '"' ? '&quot;' : `&#${c.charCodeAt(0)};`;

/** The prefixes bound on this element: its own prefix to its namespace, and its `xmlns:p` attributes. */
export function elementScope(spec: XmlElement, parentScope: PrefixScope): PrefixScope {
  // Copied only when the element binds something new: most elements reuse their parent's prefix.
  let scope: Map<string, string> | undefined;
  const bind = (prefix: string, ns: string): void => {
    if ((scope ?? parentScope).get(prefix) !== ns) (scope ??= new Map(parentScope)).set(prefix, ns);
  };
  const prefix = prefixOf(spec.name);
  if (prefix) bind(prefix, spec.ns);
  for (const [key, value] of Object.entries(spec.attributes)) {
    if (value !== undefined && key.startsWith('xmlns:')) bind(key.slice('xmlns:'.length), value);
  }
  return scope ?? parentScope;
}

export function attributeNamespace(key: string, scope: PrefixScope): string | null {
  if (key === 'xmlns') throw new Error('default namespace declarations are not supported; give the element a prefix');
  const prefix = prefixOf(key);
  if (!prefix) return null;
  if (prefix === 'xmlns') return xmlNs.xmlns;
  const ns = scope.get(prefix);
  if (!ns) throw new Error(`attribute ${key}: prefix ${prefix} is not bound`);
  return ns;
}

export function prefixOf(name: string): string | undefined {
  const colon = name.indexOf(':');
  return colon > 0 ? name.slice(0, colon) : undefined;
}

export const localNameOf = (qualified: string): string => qualified.slice(qualified.indexOf(':') + 1);

export function presentChildren(spec: XmlElement): (XmlElement | XmlFragment | string)[] {
  return spec.children.filter((child): child is Exclude<XmlChild, null | undefined | false> => isPresent(child));
}

const isPresent = (child: XmlChild): boolean => child !== null && child !== undefined && child !== false;

/** Text as a parser reads it back: refused outside XML Char, CR and CRLF as LF (`build.ts`'s rule). */
export function checkedText(value: string): string {
  if (hasNonXmlChar(value)) throw new SamlXmlError('invalid_char', 'text');
  return value.includes('\r') ? value.replace(/\r\n?/g, '\n') : value;
}

export function checkedValue(value: string, key: string): string {
  if (hasNonXmlChar(value)) throw new SamlXmlError('invalid_char', `attribute ${key}`);
  return value;
}

// XML 1.0 §2.3 NameStartChar and NameChar without the colon; a QName is one or two of them (Namespaces §3).
const nameStart =
  'A-Z_a-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C-\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD\\u{10000}-\\u{EFFFF}';
const nameRest = `${nameStart}\\-.0-9\\u00B7\\u0300-\\u036F\\u203F-\\u2040`;
const ncName = `[${nameStart}][${nameRest}]*`;
// The combining marks U+0300–U+036F are NameChars (XML 1.0 §2.3), alone in the class on purpose.
// eslint-disable-next-line no-misleading-character-class
const qName = new RegExp(`^${ncName}(?::${ncName})?$`, 'u');

function checkName(name: string): void {
  if (!qName.test(name)) throw new SamlXmlError('invalid_char', `name ${name}`);
}
