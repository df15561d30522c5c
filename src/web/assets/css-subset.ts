/**
 * The rules of a stylesheet that can match the project's markup: KERN UX ships
 * about 340 KB of CSS for all of its components, and a render-blocking
 * stylesheet that size costs a citizen on a slow mobile line seconds before the
 * first paint (issue 15 point 11). A style rule stays when one of its selectors
 * needs only classes the pages use; rules without classes (elements, `:root`
 * custom properties, themes by attribute), `@font-face`, `@keyframes` and the
 * like stay whole; `@media` and `@supports` keep the rules inside them that stay.
 *
 * A rule-level reader, not a full CSS parser: it knows strings, comments,
 * nested blocks and parentheses, which is all that selecting rules needs.
 */
export function subsetCss(css: string, usesClass: (name: string) => boolean): string {
  let out = '';
  for (const item of readRules(css)) {
    if (item.body === undefined) {
      // @charset belongs to a file; inside a page's <style> the page's own encoding holds.
      if (!/^@charset\b/i.test(item.prelude)) out += `${item.prelude};`;
      continue;
    }
    const prelude = item.prelude.trim();
    if (/^@(media|supports|layer|container)\b/i.test(prelude)) {
      const inner = subsetCss(item.body, usesClass);
      if (inner) out += `${prelude}{${inner}}`;
    } else if (prelude.startsWith('@')) {
      out += `${prelude}{${item.body}}`;
    } else {
      const kept = splitTopLevel(prelude, ',').filter((selector) => selectorCanMatch(selector, usesClass));
      if (kept.length > 0) out += `${kept.join(',')}{${item.body}}`;
    }
  }
  return out;
}

/**
 * Drops the custom properties (`--kern-color-…: …`) that no kept declaration
 * reads, directly or through another property: KERN defines about 500 design
 * tokens for all its components, most of which the kept rules never use.
 */
export function pruneCustomProperties(css: string): string {
  const definitions = new Map<string, string[]>();
  const needed = new Set<string>();
  const read = (text: string) => [...text.matchAll(/var\(\s*(--[\w-]+)/g)].map(([, name]) => name ?? '');
  visitDeclarations(css, (name, value) => {
    if (name.startsWith('--')) definitions.set(name, [...(definitions.get(name) ?? []), value]);
    else for (const used of read(value)) needed.add(used);
  });
  const pending = [...needed];
  while (pending.length > 0) {
    for (const value of definitions.get(pending.pop() ?? '') ?? []) {
      for (const used of read(value)) {
        if (needed.has(used)) continue;
        needed.add(used);
        pending.push(used);
      }
    }
  }
  return rewriteDeclarations(css, (name) => !name.startsWith('--') || needed.has(name));
}

/** Calls `visit` for each declaration of every style rule, and for the whole text of other blocks. */
function visitDeclarations(css: string, visit: (name: string, value: string) => void): void {
  for (const item of readRules(css)) {
    if (item.body === undefined) continue;
    if (/^@(media|supports|layer|container)\b/i.test(item.prelude)) visitDeclarations(item.body, visit);
    else if (item.prelude.startsWith('@')) visit('', item.body);
    else for (const [name, value] of declarations(item.body)) visit(name, value);
  }
}

/** The stylesheet with only the declarations `keep` accepts in style rules; emptied rules go. */
function rewriteDeclarations(css: string, keep: (name: string) => boolean): string {
  let out = '';
  for (const item of readRules(css)) {
    if (item.body === undefined) out += `${item.prelude};`;
    else if (/^@(media|supports|layer|container)\b/i.test(item.prelude)) {
      const inner = rewriteDeclarations(item.body, keep);
      if (inner) out += `${item.prelude}{${inner}}`;
    } else if (item.prelude.startsWith('@')) out += `${item.prelude}{${item.body}}`;
    else {
      const kept = declarations(item.body).filter(([name]) => keep(name));
      if (kept.length > 0) out += `${item.prelude}{${kept.map(([name, value]) => `${name}:${value}`).join(';')}}`;
    }
  }
  return out;
}

function declarations(body: string): [string, string][] {
  return splitTopLevel(body, ';').flatMap((declaration): [string, string][] => {
    const colon = declaration.indexOf(':');
    return colon === -1 ? [] : [[declaration.slice(0, colon).trim(), declaration.slice(colon + 1).trim()]];
  });
}

interface RuleText {
  prelude: string;
  /** The text between the braces; undefined for a statement such as `@charset "UTF-8";`. */
  body: string | undefined;
}

/** The top-level rules and statements of a stylesheet or block, comments dropped. */
export function readRules(css: string): RuleText[] {
  const rules: RuleText[] = [];
  const preludeFrom = (from: number, to: number) =>
    css
      .slice(from, to)
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .trim();
  let start = 0;
  let i = 0;
  while (i < css.length) {
    const c = css[i];
    if (c === '/' && css[i + 1] === '*') {
      const end = css.indexOf('*/', i + 2);
      i = end === -1 ? css.length : end + 2;
    } else if (c === '"' || c === "'") {
      i = skipString(css, i);
    } else if (c === ';' || c === '}') {
      // A stray closing brace: CSS error recovery ignores it, and so do we.
      const prelude = c === ';' ? preludeFrom(start, i) : '';
      if (prelude) rules.push({ prelude, body: undefined });
      start = ++i;
    } else if (c === '{') {
      const end = matchingBrace(css, i);
      rules.push({ prelude: preludeFrom(start, i), body: css.slice(i + 1, end) });
      start = i = end + 1;
    } else {
      i++;
    }
  }
  return rules;
}

/** Index just past the string that starts at `start` (a backslash escapes the next character). */
function skipString(text: string, start: number): number {
  const quote = text[start];
  let i = start + 1;
  while (i < text.length && text[i] !== quote) i += text[i] === '\\' ? 2 : 1;
  return Math.min(i + 1, text.length);
}

/** Index of the brace that closes the one at `open` (or the end of the text). */
function matchingBrace(text: string, open: number): number {
  let depth = 0;
  let i = open;
  while (i < text.length) {
    const c = text[i];
    if (c === '"' || c === "'") {
      i = skipString(text, i);
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end === -1 ? text.length : end + 2;
      continue;
    }
    if (c === '{') depth++;
    if (c === '}' && --depth === 0) return i;
    i++;
  }
  return text.length;
}

/** Splits at `separator` outside parentheses, brackets and strings (a selector list at its commas). */
export function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"' || c === "'") {
      i = skipString(text, i);
      continue;
    }
    if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
    else if (c === separator && depth === 0) {
      parts.push(text.slice(start, i).trim());
      start = i + 1;
    }
    i++;
  }
  parts.push(text.slice(start).trim());
  return parts.filter((part) => part.length > 0);
}

/**
 * Whether a selector can match markup that uses only the given classes. Inside
 * `:not()` a class is no requirement (an unused class there matches every
 * element); `:is()`, `:where()` and `:has()` need one of their selectors.
 */
export function selectorCanMatch(selector: string, usesClass: (name: string) => boolean): boolean {
  // Attribute selectors and strings hold no classes, but may hold dots ("1.5", URLs).
  let rest = selector.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""').replace(/\[[^\]]*\]/g, '[]');
  for (;;) {
    const match = /:(not|is|where|has|matches|-webkit-any)\(/i.exec(rest);
    if (!match) break;
    const open = match.index + match[0].length - 1;
    const close = matchingParen(rest, open);
    const inner = rest.slice(open + 1, close);
    const keep =
      match[1]?.toLowerCase() === 'not' ||
      splitTopLevel(inner, ',').some((alternative) => selectorCanMatch(alternative, usesClass));
    if (!keep) return false;
    rest = rest.slice(0, match.index) + rest.slice(close + 1);
  }
  for (const [, name] of rest.matchAll(/\.(-?[_a-zA-Z][\w-]*)/g)) if (name && !usesClass(name)) return false;
  return true;
}

function matchingParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '(') depth++;
    if (text[i] === ')' && --depth === 0) return i;
  }
  return text.length;
}
