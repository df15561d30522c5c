/**
 * The eID flows outside a service's login: login, registration, recovery,
 * linking and refreshing on "Mein Konto", the TC token, and the development
 * stand-ins: the simulated eID client (with hostile tcTokenURL values) and
 * the simulated eID-Server (PAOS with valid proofs, SOAP with valid
 * WS-Security signatures around random content).
 */
import fc from 'fast-check';
import { testCardIds } from '../../../src/dev/eid-simulator/cards.ts';
import { paosProof } from '../../../src/dev/eid-simulator/paos.ts';
import { getResultRequestElement } from '../../../src/methods/eid/soap/get-result.ts';
import { soapActions } from '../../../src/methods/eid/soap/namespaces.ts';
import { operations } from '../../../src/methods/eid/soap/operations.ts';
import { levelsOfAssurance, useIdRequestElement, type UseIdRequest } from '../../../src/methods/eid/soap/use-id.ts';
import { signEnvelope } from '../../../src/methods/eid/soap/ws-security.ts';
import { caseOf, either, live } from '../inputs.ts';
import { headerSafe, resolve } from '../request.ts';
import { caseTarget, pageTarget, protocolTarget, type Target } from '../target.ts';
import { hostile, plausible } from '../values.ts';
import { email, eidScopeTargets, newPassword, readingFormTarget, username } from './common.ts';

const anon = { anon: 4, user: 1 } as const;
const user = { anon: 1, user: 6 } as const;
const cards = ['erika', 'permit', 'no-address', 'expired', 'smart-eid', 'smart-eid-sw'];

const tcTokenUrls = fc.constantFrom(
  'http://localhost:3000/eid/tc-token/garbage',
  'http://localhost:3000/healthz',
  'http://localhost:3000/dev/eid-client/eID-Client?tcTokenURL=http://localhost:3000/',
  'https://evil.example/tc-token',
  'https://169.254.169.254/latest/meta-data/',
  'https://user:pw@evil.example/',
  'http://localhost:3000@evil.example/',
  'http://127.0.0.1:1/',
  'http://127.0.0.1:24727/eID-Client',
  'http://[::1]:5432/',
  'http://127.1/',
  'http://2130706433/',
  'http://0x7f000001/',
  'http://evil.example/',
  'file:///etc/passwd',
  'data:text/xml,<TCTokenType/>',
  'gopher://127.0.0.1:25/',
  'javascript:alert(1)',
  'http://localhost:3000/eid/tc-token/%2e%2e',
);

/** The simulated eID-Server's SOAP endpoint: signed messages with random content, or no valid signature at all. */
const soapCase = fc.record({
  kind: fc.oneof(
    { weight: 3, arbitrary: fc.constant('useID' as const) },
    { weight: 3, arbitrary: fc.constant('getResult' as const) },
    { weight: 2, arbitrary: fc.constant('text' as const) },
  ),
  operations: fc.dictionary(
    fc.oneof(fc.constantFrom(...operations), hostile),
    fc.constantFrom('REQUIRED', 'ALLOWED', 'PROHIBITED', 'x'),
    { maxKeys: 5 },
  ),
  level: fc.option(fc.oneof(fc.constantFrom(...levelsOfAssurance), hostile), { nil: undefined }),
  transactionInfo: fc.option(hostile, { nil: undefined }),
  age: fc.option(fc.integer({ min: -5, max: 300 }), { nil: undefined }),
  sessionId: either([2, live('eid:login:started', 'sessionIdentifier')], fc.stringMatching(/^[0-9A-F]{32}$/)),
  counter: fc.integer({ min: -2, max: 2 ** 31 }),
  action: fc.oneof(fc.constantFrom(soapActions.useID, soapActions.getResult, ''), hostile),
  text: fc.oneof(
    hostile,
    fc.constantFrom(
      '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body/></soap:Envelope>',
      '<a/>',
    ),
  ),
  contentType: fc.constantFrom('text/xml', 'text/xml; charset=utf-8', 'application/soap+xml', 'application/json'),
});

/** The PAOS stand-in: the request of the simulated client, with a valid proof when the reading is live. */
const paosCase = fc.record({
  reading: fc.constantFrom('eid:login:started', 'eid:register:started', 'eid:login:read:erika'),
  action: either([4, fc.constantFrom('describe', 'read')]),
  cardId: fc.option(either([4, fc.constantFrom(...testCardIds)]), { nil: undefined }),
  pin: fc.option(either([4, fc.constantFrom('123456', '000000', '12345')]), { nil: undefined }),
  deselected: fc.option(fc.array(fc.oneof(fc.constantFrom(...operations), hostile), { maxLength: 3 }), {
    nil: undefined,
  }),
  cancel: fc.option(fc.boolean(), { nil: undefined }),
  proof: fc.constantFrom('valid', 'valid', 'valid', 'wrong', 'missing'),
  raw: fc.option(
    fc.oneof(
      hostile,
      fc.jsonValue().map((v) => JSON.stringify(v)),
    ),
    { freq: 6, nil: undefined },
  ),
});

export const eidTargets: Target<never>[] = [
  ...eidScopeTargets('/login', 'login', anon),
  ...eidScopeTargets('/register', 'register', anon),
  readingFormTarget(
    'POST /register/eid/complete',
    'register',
    anon,
    {
      email,
      username: either([2, plausible.username], username),
      terms: either([4, fc.constant('yes')], fc.constant('')),
    },
    cards,
    { accounts: { made: (r) => r.statusCode === 303 } },
  ),
  ...eidScopeTargets('/recover', 'recover', anon),
  readingFormTarget(
    'POST /recover/eid/identify',
    'recover',
    anon,
    { identifier: either([3, live('account', 'username')], live('account', 'email'), plausible.email) },
    cards,
  ),
  readingFormTarget(
    'POST /recover/eid/complete',
    'recover',
    anon,
    {
      password: newPassword,
      password2: newPassword,
      block_factors: either([2, fc.constant('on')]),
      identifier: either([2, live('account', 'username')]),
    },
    cards,
    {},
    'complete',
  ),
  ...eidScopeTargets('/account', 'account', user),
  ...eidScopeTargets('/account/refresh', 'refresh', user),
  readingFormTarget('POST /account/eid/confirm', 'account', user, { really: either([2, fc.constant('yes')]) }, cards),
  pageTarget({
    route: 'POST /account/eid/block',
    sessions: user,
    fields: { link_id: either([4, live('means', 'link')], plausible.uuid) },
  }),
  pageTarget(
    {
      route: 'GET /eid/tc-token/:ref',
      sessions: anon,
      params: {
        ref: either(
          [3, live('eid:login:created', 'tcRef')],
          [2, live('eid:register:created', 'tcRef')],
          live('eid:login:started', 'ref'),
          plausible.token,
        ),
      },
    },
    { pages: false },
  ),
  pageTarget({
    route: 'GET /dev/eid-client/eID-Client',
    sessions: anon,
    query: { tcTokenURL: either([4, live('eid:login:created', 'tcTokenUrl')], [3, tcTokenUrls]) },
  }),
  caseTarget(
    'POST /dev/eid-client/eID-Client',
    caseOf({
      route: 'POST /dev/eid-client/eID-Client',
      sessions: anon,
      fields: {
        id: either([5, live('eidClient', 'id')], plausible.uuid),
        action: either([2, fc.constantFrom('read', 'cancel')]),
        card: either([4, fc.constantFrom(...testCardIds)]),
        pin: either([4, fc.constantFrom('123456', '000000', '')]),
        ...Object.fromEntries(
          ['GivenNames', 'FamilyNames', 'DateOfBirth', 'RestrictedID', 'PlaceOfResidence', 'BirthName'].map((op) => [
            `allow_${op}`,
            either([3, fc.constant('on')]),
          ]),
        ),
      },
    }),
  ),
  protocolTarget(
    'POST /dev/eid-simulator/paos',
    caseOf({ route: 'POST /dev/eid-simulator/paos', sessions: { anon: 1 }, csrf: false, accept: 'json' }),
    paosCase,
    async (sent, c, r) => {
      if (c.raw !== undefined)
        return { ...sent, payload: c.raw, headers: { ...sent.headers, 'content-type': 'application/json' } };
      const reading = await r.world.live(r.session, c.reading, false, r.refreshed);
      const request = {
        action: await resolve(c.action, r),
        sessionIdentifier: reading.sessionIdentifier ?? '',
        ...(c.cardId === undefined ? {} : { cardId: await resolve(c.cardId, r) }),
        ...(c.cancel === undefined ? {} : { cancel: c.cancel }),
      };
      const proof =
        c.proof === 'missing'
          ? undefined
          : c.proof === 'wrong'
            ? '00'.repeat(32)
            : paosProof(reading.psk ?? '', request as Parameters<typeof paosProof>[1]);
      const body = {
        ...request,
        ...(c.pin === undefined ? {} : { pin: await resolve(c.pin, r) }),
        ...(c.deselected === undefined ? {} : { deselected: c.deselected }),
        ...(proof === undefined ? {} : { proof }),
      };
      return {
        ...sent,
        payload: JSON.stringify(body),
        headers: { ...sent.headers, 'content-type': 'application/json' },
      };
    },
    { pages: false },
  ),
  protocolTarget(
    'POST /dev/eid-simulator/eid',
    caseOf({ route: 'POST /dev/eid-simulator/eid', sessions: { anon: 1 }, csrf: false, accept: 'json' }),
    soapCase,
    async (sent, c, r) => {
      let xml = c.text;
      try {
        if (c.kind === 'useID') {
          const request: UseIdRequest = {
            useOperations: c.operations as UseIdRequest['useOperations'],
            ...(c.level === undefined ? {} : { levelOfAssurance: c.level as UseIdRequest['levelOfAssurance'] }),
            ...(c.transactionInfo === undefined ? {} : { transactionInfo: c.transactionInfo }),
            ...(c.age === undefined ? {} : { ageVerification: { age: c.age } }),
          };
          xml = signEnvelope(useIdRequestElement(request), r.world.eidClientKey, r.world.t.clock.now());
        } else if (c.kind === 'getResult') {
          xml = signEnvelope(
            getResultRequestElement({ sessionId: await resolve(c.sessionId, r), requestCounter: c.counter }),
            r.world.eidClientKey,
            r.world.t.clock.now(),
          );
        }
      } catch {
        // Our own builders refuse some of the random content: the text goes instead.
      }
      return {
        ...sent,
        payload: xml,
        headers: { ...sent.headers, 'content-type': c.contentType, soapaction: headerSafe(await resolve(c.action, r)) },
      };
    },
    { pages: false },
  ),
] as Target<never>[];
