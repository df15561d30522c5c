// The DOM types (Element, Document) come with xmldom, the one XML implementation here.
import type {} from '@xmldom/xmldom';

/**
 * Reading a parsed SAML message: direct children by namespace and local
 * name only (never by prefix, never by a document-wide search that could
 * find an element an attacker slipped in elsewhere).
 */
export function childElements(parent: Element, namespace: string, localName: string): Element[] {
  const found: Element[] = [];
  for (let node = parent.firstChild; node; node = node.nextSibling) {
    if (
      node.nodeType === 1 &&
      (node as Element).namespaceURI === namespace &&
      (node as Element).localName === localName
    )
      found.push(node as Element);
  }
  return found;
}

/**
 * The one child of that name; undefined when absent; `many` when it occurs more than once (a message that says two
 * things is refused).
 */
export function singleChild(parent: Element, namespace: string, localName: string): Element | undefined | 'many' {
  const found = childElements(parent, namespace, localName);
  if (found.length > 1) return 'many';
  return found[0];
}

/**
 * Text content with surrounding whitespace removed; comments do not split it (textContent joins text nodes,
 * CVE-2017-11428 lesson).
 */
export function textOf(element: Element): string {
  return (element.textContent ?? '').trim();
}

/** xs:boolean (XML Schema part 2 §3.2.2). */
export function booleanAttribute(element: Element, name: string): boolean | undefined | 'invalid' {
  if (!element.hasAttribute(name)) return undefined;
  const value = element.getAttribute(name)?.trim();
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  return 'invalid';
}

/** An attribute's value, or undefined when it is absent (xmldom answers "" for a missing attribute). */
export function attributeOf(element: Element, name: string): string | undefined {
  return element.hasAttribute(name) ? (element.getAttribute(name) ?? '') : undefined;
}
