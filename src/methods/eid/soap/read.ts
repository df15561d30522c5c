/**
 * Exports the strict readers the eID message modules share:
 * - `readSequence(parent, slots, skip?)`: the element children of `parent`
 *   checked against an XSD-like sequence (order, required, no repeats, no
 *   unknown elements, no text between elements) → `Children`.
 * - `Children.one/optional/text/optionalText`.
 * - `textOf(element)`: its text, refused when it holds elements.
 * - `elementChildren(element)`, type `Slot`.
 *
 * Why hand-written and not XSD validation: the 2.4 and 2.0.2 schemas differ
 * (design notes §1), and a reader that names exactly what it accepts is the
 * one that also refuses duplicates an attacker could use to make two readers
 * disagree (the same lesson as XSW in SAML).
 */
import { eidNs } from './namespaces.ts';
import { EidServerError } from './errors.ts';

export interface Slot {
  name: string;
  /** Default: the eID namespace. */
  ns?: string;
  optional?: boolean;
}

const ELEMENT = 1;
const TEXT = 3;
const CDATA = 4;
const COMMENT = 8;

export function elementChildren(element: Element): Element[] {
  const children: Element[] = [];
  for (let child = element.firstChild; child; child = child.nextSibling) {
    if (child.nodeType === ELEMENT) children.push(child as Element);
    else if ((child.nodeType === TEXT || child.nodeType === CDATA) && (child.nodeValue ?? '').trim() !== '')
      throw new EidServerError('schema', `text in ${element.localName}`);
    else if (child.nodeType !== TEXT && child.nodeType !== COMMENT)
      throw new EidServerError('schema', `node in ${element.localName}`);
  }
  return children;
}

export function textOf(element: Element): string {
  let text = '';
  for (let child = element.firstChild; child; child = child.nextSibling) {
    if (child.nodeType === TEXT || child.nodeType === CDATA) text += child.nodeValue ?? '';
    else if (child.nodeType !== COMMENT) throw new EidServerError('schema', `${element.localName} is not text`);
  }
  return text;
}

export interface Children {
  one(name: string): Element;
  optional(name: string): Element | undefined;
  text(name: string, pattern?: RegExp): string;
  optionalText(name: string, pattern?: RegExp): string | undefined;
}

/**
 * `skip`: local names (in the slots' default namespace) that are known
 * extensions and are passed over wherever they appear, e.g. the Governikus
 * 2.0.2 PersonalData additions (design notes §1: "skips known extension names
 * and refuses unknown ones").
 */
export function readSequence(parent: Element, slots: readonly Slot[], skip: ReadonlySet<string> = new Set()): Children {
  const found = new Map<string, Element>();
  let next = 0;
  for (const child of elementChildren(parent)) {
    if (child.namespaceURI === eidNs.eid && skip.has(child.localName)) continue;
    let index = next;
    while (index < slots.length && !matches(child, slots[index] as Slot)) index++;
    const slot = slots[index];
    if (!slot) {
      const earlier = slots.slice(0, next).some((s) => matches(child, s));
      throw new EidServerError(
        'schema',
        earlier
          ? `${child.localName} repeated or out of order in ${parent.localName}`
          : `unexpected ${child.localName} in ${parent.localName}`,
      );
    }
    for (const skipped of slots.slice(next, index))
      if (!skipped.optional) throw new EidServerError('schema', `${skipped.name} missing in ${parent.localName}`);
    found.set(slot.name, child);
    next = index + 1;
  }
  for (const rest of slots.slice(next))
    if (!rest.optional) throw new EidServerError('schema', `${rest.name} missing in ${parent.localName}`);

  const optional = (name: string) => found.get(name);
  const one = (name: string) => {
    const element = found.get(name);
    if (!element) throw new EidServerError('schema', `${name} missing in ${parent.localName}`);
    return element;
  };
  const checked = (name: string, value: string, pattern?: RegExp) => {
    if (pattern && !pattern.test(value)) throw new EidServerError('schema', `${name} has an invalid value`);
    return value;
  };
  return {
    one,
    optional,
    text: (name, pattern) => checked(name, textOf(one(name)), pattern),
    optionalText: (name, pattern) => {
      const element = optional(name);
      return element ? checked(name, textOf(element), pattern) : undefined;
    },
  };
}

function matches(element: Element, slot: Slot): boolean {
  return element.localName === slot.name && element.namespaceURI === (slot.ns ?? eidNs.eid);
}

/** Value formats of TR-03130-1 §3.3 and the Governikus XSD. */
export const patterns = {
  /** hexBinary of at least `bytes` octets. */
  hex: (bytes: number) => new RegExp(`^(?:[0-9A-Fa-f]{2}){${bytes},}$`),
  date: /^\d{4}-\d{2}-\d{2}$/,
  dateString: /^[0-9 ]{8}$/,
  documentType: /^[A-Z ]{2}$/,
  icaoCountry: /^[A-Z ]{1,3}$/,
  counter: /^[0-9]{1,9}$/,
} as const;
