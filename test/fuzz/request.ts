/**
 * A generated request, as data: fast-check makes it, shrinks it and prints
 * it. Values that only exist at run time (a valid CSRF token, a pending
 * interaction's uid, a reading's transaction id) are `Live` references,
 * resolved in the session the request goes out in just before it is sent.
 */
import type { Session, World } from './world.ts';

/** A run-time value: `key` from the world (in the request's session), optionally made anew, optionally damaged. */
export interface Live {
  live: string;
  field?: string;
  fresh?: boolean;
  mutate?: Mutation;
  /** Put before the value (an Authorization scheme). */
  prefix?: string;
}

export type Mutation = 'cut' | 'flip' | 'upper' | 'twice' | 'append' | 'space';
export const mutations: readonly Mutation[] = ['cut', 'flip', 'upper', 'twice', 'append', 'space'];

export type Text = string | Live;
export type Pair = readonly [Text, Text];

/** How names and values are put into a query string or form body. */
export type Encoding = 'standard' | 'plus' | 'raw' | 'double' | 'latin1';
export const encodings: readonly Encoding[] = ['standard', 'plus', 'raw', 'double', 'latin1'];

export type CookieMode =
  | { mode: 'jar' }
  | { mode: 'none' }
  | { mode: 'drop'; index: number }
  | { mode: 'damage'; index: number; how: Mutation }
  | { mode: 'extra'; cookies: readonly (readonly [string, string])[] }
  | { mode: 'raw'; header: string };

export type Body =
  | { kind: 'form'; pairs: readonly Pair[]; encoding: Encoding; contentType?: string }
  | { kind: 'json'; pairs: readonly Pair[]; contentType?: string }
  | { kind: 'multipart'; pairs: readonly Pair[]; boundary: string; contentType?: string }
  | { kind: 'text'; text: Text; contentType?: string }
  | { kind: 'bytes'; bytes: Uint8Array; contentType?: string };

export interface FuzzCase {
  /** The session whose cookies go with the request. */
  as: string;
  method: string;
  /** Path segments after the leading slash; Live segments are resolved, each segment encoded on its own. */
  path: readonly Text[];
  pathEncoding: Encoding;
  query: { pairs: readonly Pair[]; encoding: Encoding } | { raw: string };
  body?: Body;
  cookies: CookieMode;
  headers: Readonly<Record<string, Text>>;
  ip: string;
}

/** A request as it goes to `inject`. */
export interface Sent {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
  remoteAddress: string;
}

export interface Resolver {
  world: World;
  session: Session;
  /** Live values already made anew for this request. */
  refreshed: Set<string>;
}

function damage(value: string, how: Mutation): string {
  switch (how) {
    case 'cut':
      return value.slice(0, Math.max(0, value.length - 1));
    case 'flip': {
      if (value === '') return 'A';
      const last = value.at(-1) ?? 'A';
      return `${value.slice(0, -1)}${last === 'A' ? 'B' : 'A'}`;
    }
    case 'upper':
      return value.toUpperCase() === value ? value.toLowerCase() : value.toUpperCase();
    case 'twice':
      return `${value}${value}`;
    case 'append':
      return `${value}\u0000'"<`;
    case 'space':
      return ` ${value} `;
  }
}

export async function resolve(text: Text, r: Resolver): Promise<string> {
  if (typeof text === 'string') return text;
  const value = await r.world.live(r.session, text.live, text.fresh === true, r.refreshed);
  const chosen = value[text.field ?? 'value'] ?? '';
  return `${text.prefix ?? ''}${text.mutate ? damage(chosen, text.mutate) : chosen}`;
}

/**
 * UTF-8 percent-encoding of every character `keep` does not match; lone surrogates become U+FFFD first, as Buffer does.
 */
function percentUtf8(value: string, keep: RegExp): string {
  return value
    .toWellFormed()
    .replace(keep, (c) =>
      encodeURIComponent(c).replace(/[!'()*]/g, (x) => `%${x.charCodeAt(0).toString(16).toUpperCase()}`),
    );
}

/** Latin-1 bytes where a character has one (invalid UTF-8 for the server), UTF-8 otherwise. */
function percentLatin1(value: string): string {
  return value.toWellFormed().replace(/[^A-Za-z0-9\-._~]/gu, (c) => {
    const bytes = (c.codePointAt(0) ?? 0) <= 0xff ? Buffer.from(c, 'latin1') : Buffer.from(c, 'utf8');
    return [...bytes].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
  });
}

/**
 * Encodes one name or value; `raw` leaves printable ASCII alone, so `&`, `=` and stray `%` reach the parser as they
 * are.
 */
export function encode(value: string, encoding: Encoding): string {
  switch (encoding) {
    case 'standard':
      return percentUtf8(value, /[^A-Za-z0-9\-._~]/gu);
    case 'plus':
      return percentUtf8(value, /[^A-Za-z0-9\-._~ ]/gu).replaceAll(' ', '+');
    case 'raw':
      return percentUtf8(value, /[^!-~]/gu);
    case 'double':
      return encode(encode(value, 'standard'), 'standard');
    case 'latin1':
      return percentLatin1(value);
  }
}

async function encodePairs(pairs: readonly Pair[], encoding: Encoding, r: Resolver): Promise<string> {
  const parts: string[] = [];
  for (const [name, value] of pairs)
    parts.push(`${encode(await resolve(name, r), encoding)}=${encode(await resolve(value, r), encoding)}`);
  return parts.join('&');
}

async function resolvePairs(pairs: readonly Pair[], r: Resolver): Promise<[string, string][]> {
  const out: [string, string][] = [];
  for (const [name, value] of pairs) out.push([await resolve(name, r), await resolve(value, r)]);
  return out;
}

/** A multipart/form-data body (RFC 7578) of the pairs; the boundary may be wrong on purpose. */
function multipart(pairs: readonly [string, string][], boundary: string): string {
  const parts = pairs.map(
    ([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  );
  return `${parts.join('')}--${boundary}--\r\n`;
}

/** Header values as Node accepts them on the wire: other characters are percent-encoded. */
export const headerSafe = (value: string): string => percentUtf8(value, /[^\t -~]/gu);

function cookieHeader(jar: ReadonlyMap<string, string>, mode: CookieMode): string | undefined {
  const entries = [...jar];
  const join = (list: readonly (readonly [string, string])[]) => list.map(([k, v]) => `${k}=${v}`).join('; ');
  switch (mode.mode) {
    case 'jar':
      return join(entries);
    case 'none':
      return undefined;
    case 'drop':
      return join(entries.filter((_, i) => i !== mode.index % Math.max(1, entries.length)));
    case 'damage':
      return join(
        entries.map(
          ([k, v], i) =>
            [k, i === mode.index % Math.max(1, entries.length) ? headerSafe(damage(v, mode.how)) : v] as const,
        ),
      );
    case 'extra':
      return join([...entries, ...mode.cookies.map(([k, v]) => [headerSafe(k), headerSafe(v)] as const)]);
    case 'raw':
      return headerSafe(mode.header);
  }
}

/** The request as `inject` takes it, with every Live value resolved. */
export async function materialize(c: FuzzCase, r: Resolver): Promise<Sent> {
  const segments: string[] = [];
  for (const segment of c.path) segments.push(encode(await resolve(segment, r), c.pathEncoding));
  const query = 'raw' in c.query ? c.query.raw : await encodePairs(c.query.pairs, c.query.encoding, r);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(c.headers)) headers[name] = headerSafe(await resolve(value, r));
  let payload: string | Buffer | undefined;
  if (c.body) {
    if (c.body.kind === 'form') payload = await encodePairs(c.body.pairs, c.body.encoding, r);
    else if (c.body.kind === 'json') payload = JSON.stringify(Object.fromEntries(await resolvePairs(c.body.pairs, r)));
    else if (c.body.kind === 'multipart') payload = multipart(await resolvePairs(c.body.pairs, r), c.body.boundary);
    else if (c.body.kind === 'text') payload = await resolve(c.body.text, r);
    else payload = Buffer.from(c.body.bytes);
    if (c.body.contentType !== undefined) headers['content-type'] = headerSafe(c.body.contentType);
  }
  // Resolving may have started a flow in the session (a new interaction sets its cookie): read the jar last.
  const cookie = cookieHeader(r.session.browser.cookies, c.cookies);
  if (cookie !== undefined && cookie !== '') headers.cookie = cookie;
  return {
    method: c.method,
    url: `/${segments.join('/')}${query === '' ? '' : `?${query}`}`,
    headers,
    remoteAddress: c.ip,
    ...(payload === undefined ? {} : { payload }),
  };
}
