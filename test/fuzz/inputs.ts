/**
 * Arbitraries for the parts every request has: the session, the method,
 * path parameters, the query, a body of any content type (forms with valid
 * and invalid CSRF tokens, missing, repeated and unknown fields; JSON, XML,
 * multipart, bytes, bodies over the limit), cookies and headers. A target
 * names its route and what its fields and parameters are; `caseOf` makes
 * the requests.
 */
import fc from 'fast-check';
import { clientAddress, garbageBytes, hostile, hostileName } from './values.ts';
import {
  encodings,
  mutations,
  type Body,
  type CookieMode,
  type Encoding,
  type FuzzCase,
  type Live,
  type Pair,
  type Text,
} from './request.ts';

/** A run-time value, mostly intact, sometimes made anew, sometimes damaged. */
export function live(key: string, field?: string): fc.Arbitrary<Live> {
  return fc
    .record({
      fresh: fc.boolean(),
      mutate: fc.oneof(
        { weight: 6, arbitrary: fc.constant(undefined) },
        { weight: 1, arbitrary: fc.constantFrom(...mutations) },
      ),
    })
    .map(({ fresh, mutate }) => ({
      live: key,
      ...(field === undefined ? {} : { field }),
      ...(fresh ? { fresh } : {}),
      ...(mutate ? { mutate } : {}),
    }));
}

/** A value: the run-time one (weight 3), a plausible one, or a hostile one. */
export function either(...choices: (fc.Arbitrary<Text> | [number, fc.Arbitrary<Text>])[]): fc.Arbitrary<Text> {
  return fc.oneof(
    ...choices.map((c) => (Array.isArray(c) ? { weight: c[0], arbitrary: c[1] } : { weight: 1, arbitrary: c })),
    { weight: 1, arbitrary: hostile },
  );
}

const weighted = <T>(entries: readonly (readonly [number, T])[]): fc.Arbitrary<T> =>
  fc.oneof(...entries.map(([weight, value]) => ({ weight, arbitrary: fc.constant(value) })));

export const encoding: fc.Arbitrary<Encoding> = weighted([
  [8, 'standard'],
  [2, 'plus'],
  [2, 'raw'],
  [1, 'double'],
  [1, 'latin1'],
] as const);

/**
 * Known names with their values (each left out sometimes, sometimes twice), then unknown ones, sometimes in reverse
 * order.
 */
export function pairs(known: Readonly<Record<string, fc.Arbitrary<Text>>>): fc.Arbitrary<Pair[]> {
  const entries = Object.entries(known).map(([name, value]) =>
    fc
      .record({
        present: fc.oneof(
          { weight: 7, arbitrary: fc.constant(1) },
          { weight: 1, arbitrary: fc.constant(0) },
          { weight: 1, arbitrary: fc.constant(2) },
        ),
        value,
        second: value,
      })
      .map(({ present, value: v, second }) =>
        present === 0 ? [] : present === 1 ? [[name, v] as const] : [[name, v] as const, [name, second] as const],
      ),
  );
  const extra = fc.array(fc.tuple(hostileName, hostile), { maxLength: 3 });
  return fc.tuple(fc.tuple(...entries), extra, fc.boolean()).map(([known, unknown, reverse]) => {
    const all: Pair[] = [...known.flat(), ...unknown];
    return reverse ? all.reverse() : all;
  });
}

/** The CSRF field: the session's token mostly, else damaged, foreign, missing or twice. */
export const csrfPairs: fc.Arbitrary<Pair[]> = fc.oneof<fc.WeightedArbitrary<Pair[]>[]>(
  { weight: 12, arbitrary: live('csrf').map((l) => [['_csrf', l] as const]) },
  { weight: 1, arbitrary: hostile.map((v) => [['_csrf', v] as const]) },
  { weight: 1, arbitrary: fc.constant([]) },
  {
    weight: 1,
    arbitrary: fc.constant([
      ['_csrf', { live: 'csrf' }],
      ['_csrf', { live: 'csrf' }],
    ]),
  },
  { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z0-9_-]{43}$/).map((v) => [['_csrf', v] as const]) },
);

const formTypes = fc.oneof(
  { weight: 12, arbitrary: fc.constant('application/x-www-form-urlencoded') },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'application/x-www-form-urlencoded; charset=utf-8',
      'APPLICATION/X-WWW-FORM-URLENCODED',
      'application/x-www-form-urlencoded; charset=iso-8859-1',
      'application/x-www-form-urlencoded; charset=utf-16',
      'application/x-www-form-urlencoded;;',
      'application/x-www-form-urlencoded, application/json',
    ),
  },
  { weight: 1, arbitrary: fc.constant(undefined) },
);

export const otherTypes: fc.Arbitrary<string | undefined> = fc.oneof(
  fc.constantFrom(
    'application/json',
    'text/xml',
    'application/xml',
    'application/soap+xml',
    'text/plain',
    'application/octet-stream',
    'multipart/form-data',
    'multipart/form-data; boundary=',
    'text/html',
    'application/jwt',
    '',
    ';',
    'a/b; c=d',
    '*/*',
    'application/json; charset=latin1',
    'application/x-www-form-urlencoded',
  ),
  fc.constant(undefined),
  hostile,
);

const xmlBodies = fc.oneof(
  fc.constantFrom(
    '<a/>',
    '<?xml version="1.0"?><x>',
    '<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>',
    '<!DOCTYPE a [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><a>&c;</a>',
    '<a xmlns="urn:x"><b/></a>',
  ),
  hostile.map((v) => `<?xml version="1.0"?><form><field>${v}</field></form>`),
);

/** A body: mostly the route's form, else another content type, bytes, nothing, or more than the limit. */
export function bodyOf(formPairs: fc.Arbitrary<Pair[]>): fc.Arbitrary<Body | undefined> {
  return fc.oneof(
    {
      weight: 24,
      arbitrary: fc
        .record({ pairs: formPairs, encoding, contentType: formTypes })
        .map(({ pairs: p, encoding: e, contentType }): Body => ({
          kind: 'form',
          pairs: p,
          encoding: e,
          ...(contentType === undefined ? {} : { contentType }),
        })),
    },
    {
      weight: 1,
      arbitrary: fc
        .record({
          pairs: formPairs,
          contentType: fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain'),
        })
        .map(({ pairs: p, contentType }): Body => ({ kind: 'json', pairs: p, contentType })),
    },
    {
      weight: 1,
      arbitrary: fc
        .record({ pairs: formPairs, boundary: fc.constantFrom('fuzz', 'x'.repeat(80), '', '--') })
        .map(({ pairs: p, boundary }): Body => ({
          kind: 'multipart',
          pairs: p,
          boundary,
          contentType: `multipart/form-data; boundary=${boundary}`,
        })),
    },
    {
      weight: 1,
      arbitrary: fc
        .record({
          text: fc.oneof(
            xmlBodies,
            fc.jsonValue().map((v) => JSON.stringify(v)),
            hostile,
          ),
          contentType: otherTypes,
        })
        .map(({ text, contentType }): Body => ({
          kind: 'text',
          text,
          ...(contentType === undefined ? {} : { contentType }),
        })),
    },
    {
      weight: 1,
      arbitrary: fc.record({ bytes: garbageBytes, contentType: otherTypes }).map(({ bytes, contentType }): Body => ({
        kind: 'bytes',
        bytes,
        ...(contentType === undefined ? {} : { contentType }),
      })),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom<Body | undefined>(
        undefined,
        {
          kind: 'form',
          pairs: [['a', 'x'.repeat(70_000)]],
          encoding: 'standard',
          contentType: 'application/x-www-form-urlencoded',
        },
        { kind: 'bytes', bytes: new Uint8Array(0), contentType: 'application/x-www-form-urlencoded' },
      ),
    },
  );
}

const cookieNames = [
  'sk_session',
  'sk_csrf',
  'sk_lang',
  'sk_saml',
  'sk_eid',
  'sk_oidc_session',
  'sk_oidc_session.sig',
  'sk_oidc_interaction',
  'sk_oidc_interaction.sig',
  'sk_oidc_resume',
];

export const cookies: fc.Arbitrary<CookieMode> = fc.oneof(
  { weight: 14, arbitrary: fc.constant<CookieMode>({ mode: 'jar' }) },
  { weight: 1, arbitrary: fc.constant<CookieMode>({ mode: 'none' }) },
  { weight: 1, arbitrary: fc.nat(10).map((index): CookieMode => ({ mode: 'drop', index })) },
  {
    weight: 1,
    arbitrary: fc
      .record({ index: fc.nat(10), how: fc.constantFrom(...mutations) })
      .map(({ index, how }): CookieMode => ({ mode: 'damage', index, how })),
  },
  {
    weight: 1,
    arbitrary: fc
      .array(fc.tuple(fc.oneof(fc.constantFrom(...cookieNames), hostileName), hostile), { minLength: 1, maxLength: 3 })
      .map((list): CookieMode => ({ mode: 'extra', cookies: list })),
  },
  { weight: 1, arbitrary: hostile.map((header): CookieMode => ({ mode: 'raw', header })) },
);

const userAgents = [
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)',
  'Mozilla/5.0 (Linux; Android 14)',
  'Mozilla/5.0 (X11; Linux x86_64)',
  'curl/8.0',
  '',
];

/** Headers besides cookies and the content type: Accept and friends, sometimes hostile. */
export function headersOf(
  accept: 'html' | 'json' = 'html',
  extra: Readonly<Record<string, fc.Arbitrary<Text>>> = {},
): fc.Arbitrary<Record<string, Text>> {
  const main = accept === 'html' ? 'text/html' : 'application/json';
  return fc.record(
    {
      accept: fc.oneof(
        { weight: 10, arbitrary: fc.constant(main) },
        {
          weight: 1,
          arbitrary: fc.constantFrom(
            'application/json',
            'text/html,application/json',
            '*/*',
            '',
            'application/xml',
            'text/html;q=0, application/json',
          ),
        },
        { weight: 1, arbitrary: hostile },
      ),
      'accept-language': fc.oneof(
        fc.constantFrom('de', 'en', 'en-US,en;q=0.9', 'fr', '*', 'de;q=x, en;q=1e9'),
        hostile,
      ),
      'user-agent': fc.oneof(fc.constantFrom(...userAgents), hostile),
      origin: fc.oneof(fc.constantFrom('http://localhost:3000', 'https://evil.example', 'null'), hostile),
      referer: hostile,
      'x-forwarded-for': fc.oneof(fc.ipV4(), hostile),
      'x-forwarded-host': fc.constantFrom('evil.example', 'localhost:3000'),
      'x-http-method-override': fc.constantFrom('DELETE', 'PUT', 'GET'),
      ...extra,
    },
    { requiredKeys: ['accept'] },
  );
}

export type SessionName = 'anon' | 'user';

export interface CaseSpec {
  /** `METHOD /path/:param`, as the app registers it. */
  route: string;
  sessions?: Partial<Record<SessionName, number>>;
  params?: Readonly<Record<string, fc.Arbitrary<Text>>>;
  query?: Readonly<Record<string, fc.Arbitrary<Text>>>;
  fields?: Readonly<Record<string, fc.Arbitrary<Text>>>;
  /** Forms carry the CSRF field (default for POST). */
  csrf?: boolean;
  accept?: 'html' | 'json';
  /** Headers of the protocol (Authorization, DPoP), each present or not. */
  headers?: Readonly<Record<string, fc.Arbitrary<Text>>>;
  /** More form fields, e.g. with names known only at run time. */
  extraPairs?: fc.Arbitrary<Pair[]>;
  /** Replaces the form body (protocol endpoints with a body of their own). */
  body?: fc.Arbitrary<Body | undefined>;
}

function methodOf(declared: string): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 30, arbitrary: fc.constant(declared) },
    { weight: declared === 'GET' ? 3 : 0, arbitrary: fc.constant('HEAD') },
    { weight: 1, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS') },
  );
}

/** Segments of the path: literal parts as they are, parameters from the spec; sometimes a trailing slash or more. */
function pathOf(path: string, params: Readonly<Record<string, fc.Arbitrary<Text>>>): fc.Arbitrary<Text[]> {
  const parts = path
    .split('/')
    .slice(1)
    .map((segment) =>
      segment.startsWith(':')
        ? (params[segment.slice(1)] ?? hostile)
        : segment === '*'
          ? (params['*'] ?? hostile)
          : fc.constant<Text>(segment),
    );
  const suffix = fc.oneof(
    { weight: 20, arbitrary: fc.constant<Text[]>([]) },
    { weight: 1, arbitrary: fc.constantFrom<Text[]>([''], ['x'], ['..'], ['%2e%2e']) },
  );
  return fc.tuple(fc.tuple(...parts), suffix).map(([p, s]) => [...p, ...s]);
}

const queryOf = (known: Readonly<Record<string, fc.Arbitrary<Text>>>): fc.Arbitrary<FuzzCase['query']> =>
  fc.oneof(
    { weight: 12, arbitrary: fc.record({ pairs: pairs(known), encoding }) },
    {
      weight: 1,
      arbitrary: fc
        .string({ unit: 'binary-ascii', maxLength: 60 })
        .map((raw) => ({ raw: raw.replace(/[^\x21-\x7e]/g, (c) => encodeURIComponent(c)) })),
    },
  );

function sessionOf(weights: Partial<Record<SessionName, number>> = { anon: 3, user: 1 }): fc.Arbitrary<SessionName> {
  return fc.oneof(
    ...Object.entries(weights).map(([name, weight]) => ({
      weight: weight ?? 1,
      arbitrary: fc.constant(name as SessionName),
    })),
  );
}

/** Requests for one route as data (request.ts). */
export function caseOf(spec: CaseSpec): fc.Arbitrary<FuzzCase> {
  const [declared = 'GET', path = '/'] = spec.route.split(' ');
  const csrf = spec.csrf ?? declared === 'POST';
  const form = fc
    .tuple(csrf ? csrfPairs : fc.constant([]), pairs(spec.fields ?? {}), spec.extraPairs ?? fc.constant([]))
    .map(([c, f, e]) => [...c, ...f, ...e]);
  const body =
    spec.body ??
    (declared === 'POST'
      ? bodyOf(form)
      : fc.oneof({ weight: 20, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: bodyOf(form) }));
  return fc
    .record({
      as: sessionOf(spec.sessions),
      method: methodOf(declared),
      path: pathOf(path, spec.params ?? {}),
      pathEncoding: fc.oneof(
        { weight: 10, arbitrary: fc.constant<Encoding>('standard') },
        { weight: 1, arbitrary: fc.constantFrom(...encodings) },
      ),
      query: queryOf(spec.query ?? {}),
      body,
      cookies,
      headers: headersOf(spec.accept, spec.headers),
      ip: clientAddress,
    })
    .map(({ body: b, ...rest }) => (b === undefined ? rest : { ...rest, body: b }));
}
