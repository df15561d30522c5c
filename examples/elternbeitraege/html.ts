// Escaping for the example's pages. The example shares no code with the
// Servicekonto on purpose: it is what a municipality would write itself.
const brand = Symbol('html');

export interface Html {
  readonly [brand]: true;
  readonly value: string;
}

type Value = Html | string | number | null | undefined | false | readonly Value[];

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function render(value: Value): string {
  if (value === null || value === undefined || value === false) return '';
  if (Array.isArray(value)) return value.map((v: Value) => render(v)).join('');
  if (typeof value === 'object' && brand in value) return value.value;
  return String(value).replace(/[&<>"']/g, (c) => escapes[c] ?? c);
}

export function html(strings: TemplateStringsArray, ...values: Value[]): Html {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '');
  });
  return { [brand]: true, value: out };
}
