/**
 * Escaping by construction (STYLE.md habit 11): every value interpolated into
 * `html` is escaped unless it is itself the result of `html`. There is no
 * other way to produce `SafeHtml`, so unescaped user input cannot reach a page.
 */
const brand = Symbol('SafeHtml');

export interface SafeHtml {
  readonly [brand]: true;
  readonly value: string;
}

function safe(value: string): SafeHtml {
  return { [brand]: true, value };
}

export function isSafeHtml(value: unknown): value is SafeHtml {
  return typeof value === 'object' && value !== null && brand in value;
}

const entities: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => entities[c] ?? c);
}

export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (Array.isArray(value)) return value.map((v: HtmlValue) => render(v)).join('');
  if (isSafeHtml(value)) return value.value;
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += render(values[i]) + (strings[i + 1] ?? '');
  return safe(out);
}

/** Trusted markup from the project's own text catalogue (never user input). */
export function trustedMarkup(markup: string): SafeHtml {
  return safe(markup);
}
