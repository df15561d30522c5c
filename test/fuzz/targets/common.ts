/**
 * Field values and target families shared by the groups: the fuzz
 * account's own data (so logins and confirmations sometimes succeed), the
 * step-up pages (mounted under three prefixes), and the eID hand-over and
 * RefreshAddress (mounted under nine).
 */
import fc from 'fast-check';
import { either, live, type SessionName } from '../inputs.ts';
import type { Text } from '../request.ts';
import { caseTarget, pageTarget, type Target } from '../target.ts';
import { caseOf } from '../inputs.ts';
import { plausible } from '../values.ts';

export const account = (field: 'username' | 'email' | 'password' | 'id') => live('account', field);
export const username: fc.Arbitrary<Text> = either([3, account('username')], [2, plausible.username], account('email'));
export const email: fc.Arbitrary<Text> = either([2, account('email')], [3, plausible.email]);
export const password: fc.Arbitrary<Text> = either([3, account('password')], [2, plausible.password]);
export const newPassword: fc.Arbitrary<Text> = either([3, plausible.password], account('password'));
export const returnTo: fc.Arbitrary<Text> = either([
  2,
  fc.constantFrom(
    '/account',
    '/interaction/x/consent',
    '/saml/login/x',
    '//evil.example',
    'https://evil.example/',
    '/\\evil.example',
    '/%2f%2fevil.example',
    'javascript:alert(1)',
    '/logout',
  ),
]);
export const totpCode: fc.Arbitrary<Text> = either([3, live('totp')], [2, plausible.code]);
export const lang: fc.Arbitrary<Text> = either([3, fc.constantFrom('de', 'en')]);
/** A WebAuthn response as the browser library posts it, with random parts. */
export const webauthnResponse: fc.Arbitrary<Text> = either(
  [
    3,
    fc
      .record({
        id: fc.base64String({ maxLength: 40 }),
        type: fc.constantFrom('public-key', 'x'),
        clientData: fc.record({
          type: fc.constantFrom('webauthn.create', 'webauthn.get', 'x'),
          challenge: fc.base64String({ maxLength: 44 }),
          origin: fc.constantFrom('http://localhost:3000', 'https://evil.example'),
        }),
        attestation: fc.base64String({ maxLength: 200 }),
      })
      .map((r) =>
        JSON.stringify({
          id: r.id,
          rawId: r.id,
          type: r.type,
          response: {
            clientDataJSON: Buffer.from(JSON.stringify(r.clientData)).toString('base64url'),
            attestationObject: r.attestation,
            authenticatorData: r.attestation,
            signature: r.attestation,
          },
          clientExtensionResults: {},
        }),
      ),
  ],
  fc.jsonValue().map((v) => JSON.stringify(v)),
);

/** The step-up pages (flows/step-up) under one prefix. */
export function stepUpTargets(
  prefix: string,
  params: Readonly<Record<string, fc.Arbitrary<Text>>>,
  sessions: Partial<Record<SessionName, number>>,
): Target<never>[] {
  const at = (method: string, path: string, fields: Readonly<Record<string, fc.Arbitrary<Text>>> = {}) =>
    pageTarget({ route: `${method} ${prefix}${path}`, sessions, params, fields });
  return [
    at('GET', '/second-factor'),
    at('GET', '/totp'),
    at('POST', '/totp', { code: totpCode }),
    at('GET', '/totp/setup'),
    at('POST', '/totp/setup', { code: totpCode }),
    at('GET', '/recovery'),
    at('POST', '/recovery', {
      recovery_code: either([3, live('recoveryCode')], fc.stringMatching(/^[A-Z0-9]{4,5}-[A-Z0-9]{4,5}$/)),
    }),
    at('GET', '/continue'),
    at('GET', '/sms'),
    at('POST', '/sms/send'),
    at('POST', '/sms', { tan: either([3, live('smsTan')], plausible.code) }),
    at('GET', '/webauthn'),
    at('POST', '/webauthn/options'),
    at('POST', '/webauthn', { response: webauthnResponse }),
  ] as Target<never>[];
}

/** The passkey login (methods/passkey) under one login door's prefix. */
export function passkeyTargets(
  prefix: string,
  params: Readonly<Record<string, fc.Arbitrary<Text>>>,
  sessions: Partial<Record<SessionName, number>>,
): Target<never>[] {
  return [
    pageTarget({ route: `GET ${prefix}/passkey`, sessions, params }),
    pageTarget({ route: `POST ${prefix}/passkey/options`, sessions, params }),
    pageTarget({
      route: `POST ${prefix}/passkey`,
      sessions,
      params,
      fields: { response: webauthnResponse, return: returnTo },
    }),
  ] as Target<never>[];
}

/** Reading states a RefreshAddress can be visited in (live.ts `eid`, `eidPending`). */
const readingKeys = (scope: string): string[] => [
  `eid:${scope}:read:erika`,
  `eid:${scope}:read:permit`,
  `eid:${scope}:read:expired`,
  `eid:${scope}:read:smart-eid`,
  `eid:${scope}:cancelled`,
  `eidPending:${scope}`,
  `eid:${scope}:created`,
];

const refreshQuery = {
  ResultMajor: either([
    3,
    fc.constantFrom(
      'ok',
      'error',
      'http://www.bsi.bund.de/ecard/api/1.1/resultmajor#ok',
      'http://www.bsi.bund.de/ecard/api/1.1/resultmajor#error',
      'OK',
      '',
    ),
  ]),
  ResultMinor: either([
    3,
    fc.constantFrom(
      'cancellationByUser',
      'communicationError',
      'trustedChannelEstablishmentFailed',
      'clientError',
      'serverError',
      'http://www.bsi.bund.de/ecard/api/1.1/resultminor/sal#cancellationByUser',
      'hasOwnProperty',
      '__proto__',
      'constructor',
    ),
  ]),
  ResultMessage: fc.oneof(fc.constant('x'), fc.string({ maxLength: 30 })),
};

/**
 * The hand-over page `{prefix}/eid` and the RefreshAddress `{prefix}/eid/return/:ref` of one eID scope;
 * `scope` names the readings in live.ts, `uid` the path parameter of scopes inside a login (its uid comes from the same
 * reading).
 */
export function eidScopeTargets(
  prefix: string,
  scope: string,
  sessions: Partial<Record<SessionName, number>>,
  uid?: fc.Arbitrary<Text>,
): Target<never>[] {
  const handOver = pageTarget({ route: `GET ${prefix}/eid`, sessions, ...(uid ? { params: { uid } } : {}) });
  const shapes = readingKeys(scope).map((key) =>
    caseOf({
      route: `GET ${prefix}/eid/return/:ref`,
      sessions,
      params: {
        ...(uid ? { uid: either([6, live(key, 'uid')], uid) } : {}),
        ref: either(
          [6, live(key, key.endsWith(':created') ? 'tcRef' : 'ref')],
          fc.stringMatching(/^[A-Za-z0-9_-]{43}$/),
        ),
      },
      query: refreshQuery,
    }),
  );
  return [handOver, caseTarget(`GET ${prefix}/eid/return/:ref`, fc.oneof(...shapes))] as Target<never>[];
}

/**
 * A form that belongs to a finished card reading (`transaction` and `ref` of the reading, `uid` of its login when the
 * scope has one): several card kinds, so the form is sent with readings that pass and that do not.
 */
export function readingFormTarget(
  route: string,
  scope: string,
  sessions: Partial<Record<SessionName, number>>,
  fields: Readonly<Record<string, fc.Arbitrary<Text>>>,
  cards: readonly string[],
  options: Parameters<typeof caseTarget>[2] = {},
  step = 'form',
): Target<never> {
  const shapes = cards.map((card) => {
    const key = `eid:${scope}:${step}:${card}`;
    return caseOf({
      route,
      sessions,
      params: { uid: either([6, live(key, 'uid')]) },
      fields: {
        transaction: either([6, live(key, 'transaction')], plausible.token),
        ref: either([6, live(key, 'ref')], plausible.token),
        ...fields,
      },
    });
  });
  return caseTarget(route, fc.oneof(...shapes), options) as Target<never>;
}
