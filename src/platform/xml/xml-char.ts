/**
 * Exports `hasNonXmlChar(text)`: true when `text` holds a character outside
 * the XML 1.0 `Char` production (§2.2): C0 controls other than tab, LF and
 * CR, lone surrogates, U+FFFE and U+FFFF. Such a character cannot appear in a
 * well-formed document, not even as a character reference.
 */
const nonXmlChar = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

export function hasNonXmlChar(text: string): boolean {
  return nonXmlChar.test(text);
}
