/**
 * Exports `exclusiveC14n(spec): string` — the Exclusive XML Canonicalization
 * 1.0 form (without comments, no InclusiveNamespaces PrefixList) of an
 * element spec (`build.ts`): what a verifier computes after parsing the text
 * `writeXml`/`buildXml` gives for it, so we can digest and sign what we build
 * without parsing it back. `exc-c14n.test.ts` holds it equal to xml-crypto's
 * ExclusiveCanonicalization and to libxml2's (`xmllint --exc-c14n`) on a
 * corpus.
 *
 * The rules (Exc-C14N §3, C14N 1.0 §2.2/§2.3):
 * - a namespace declaration is rendered on an element that visibly utilizes
 *   its prefix (the element's own prefix or an attribute's) unless an output
 *   ancestor already rendered the same binding; `xml` never is. A QName in
 *   content (`xsi:type="xs:string"`) does not utilize `xs`, so the
 *   declaration of `xs` is not signed (the document still carries it);
 * - declarations first, sorted by prefix (the default one first), then the
 *   attributes sorted by namespace URI (none first), then local name;
 * - text escapes `&`, `<`, `>` and CR; attribute values `&`, `<`, `"`, tab,
 *   LF and CR; start and end tags always (no `<x/>`); no XML declaration.
 */
import type { XmlElement } from './build.ts';
import {
  attributeNamespace,
  checkedText,
  checkedValue,
  elementScope,
  localNameOf,
  prefixOf,
  presentChildren,
  rootScope,
  type PrefixScope,
} from './write.ts';

export function exclusiveC14n(spec: XmlElement): string {
  const out: string[] = [];
  render(spec, rootScope, new Map(), out);
  return out.join('');
}

interface Attribute {
  readonly name: string;
  readonly ns: string;
  readonly local: string;
  readonly value: string;
}

function render(spec: XmlElement, parentScope: PrefixScope, rendered: PrefixScope, out: string[]): void {
  const scope = elementScope(spec, parentScope);
  const used = new Map<string, string>();
  const elementPrefix = prefixOf(spec.name) ?? '';
  used.set(elementPrefix, spec.ns);
  const attributes: Attribute[] = [];
  for (const [key, value] of Object.entries(spec.attributes)) {
    if (value === undefined || key.startsWith('xmlns:')) continue;
    const ns = attributeNamespace(key, scope) ?? '';
    const prefix = prefixOf(key);
    if (prefix && prefix !== 'xml') used.set(prefix, ns);
    attributes.push({ name: key, ns, local: localNameOf(key), value: checkedValue(value, key) });
  }
  const declarations = [...used]
    .filter(([prefix, ns]) => (rendered.get(prefix) ?? '') !== ns)
    .sort(([a], [b]) => byCodePoint(a, b));
  let inner = rendered;
  if (declarations.length > 0) {
    const next = new Map(rendered);
    for (const [prefix, ns] of declarations) next.set(prefix, ns);
    inner = next;
  }
  out.push('<', spec.name);
  for (const [prefix, ns] of declarations) out.push(prefix ? ` xmlns:${prefix}="` : ' xmlns="', escapeValue(ns), '"');
  attributes.sort((a, b) => byCodePoint(a.ns, b.ns) || byCodePoint(a.local, b.local));
  for (const a of attributes) out.push(' ', a.name, '="', escapeValue(a.value), '"');
  out.push('>');
  for (const child of presentChildren(spec)) {
    if (typeof child === 'string') out.push(escapeText(checkedText(child)));
    else if (child.kind === 'fragment') throw new Error('exclusiveC14n does not take parsed fragments');
    else render(child, scope, inner, out);
  }
  out.push('</', spec.name, '>');
}

// C14N 1.0 §2.3: "&amp;", "&lt;", "&gt;" and "&#xD;" in text;
// "&amp;", "&lt;", "&quot;", "&#x9;", "&#xA;", "&#xD;" in attribute values.
const textEscapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#xD;' };
const valueEscapes: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '"': '&quot;',
  '\t': '&#x9;',
  '\n': '&#xA;',
  '\r': '&#xD;',
};
const escapeText = (text: string): string => text.replace(/[&<>\r]/g, (c) => textEscapes[c] ?? c);
const escapeValue = (value: string): string => value.replace(/[&<"\t\n\r]/g, (c) => valueEscapes[c] ?? c);

/** Lexicographic order of code points (C14N §2.2), which UTF-16 code unit order differs from above U+FFFF. */
function byCodePoint(a: string, b: string): number {
  if (a === b) return 0;
  if (!/[\uD800-\uDFFF]/.test(a + b)) return a < b ? -1 : 1;
  const x = [...a].map((c) => c.codePointAt(0) ?? 0);
  const y = [...b].map((c) => c.codePointAt(0) ?? 0);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return (x[i] ?? 0) - (y[i] ?? 0);
  return x.length - y.length;
}
