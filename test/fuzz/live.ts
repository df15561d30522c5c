/**
 * The makers of run-time values (world.ts), by name; a key is the name and
 * its arguments joined with `:` (`eid:interaction:read:erika`).
 *
 * - `csrf`, `account`, `totp`, `recoveryCode`, `mailToken:<purpose>`, `smsTan`
 * - `uid:<plain|stepup|guest|public>`: a pending OIDC interaction
 * - `oidcCode`, `oidcTokens`: a finished OIDC login of the fuzz account
 * - `samlUid`: a pending SAML login; `samlLogin`: a finished one (NameID,
 *   SessionIndex, SSO session) in a browser of its own; `logoutFlow`
 * - `eid:<scope>:<created|started|read|cancelled|form|complete>[:<card>]`:
 *   a card reading in that scope, left at that step
 */
import { createHash, randomBytes } from 'node:crypto';
import { emailLinks, type LinkPurpose } from '../../src/flows/email-links.ts';
import { startLogoutFlow } from '../../src/saml/logout/flow.ts';
import { testCardIds, type TestCardId } from '../../src/dev/eid-simulator/cards.ts';
import { fetchTcToken, paosRead, refreshPath, tcTokenUrlOf } from '../helpers/eid-card.ts';
import { Browser } from '../helpers/test-app.ts';
import { validAuthnRequestQuery } from './saml-messages.ts';
import { csrfOf, follow, formField, get, localTarget, post } from './visit.ts';
import { oidcClient, publicClient, type Maker, type Session, type Values, type World } from './world.ts';

const substantial = 'http://eidas.europa.eu/LoA/substantial';

function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** The query of an authorization request as a service sends it. */
export function authorizeQuery(kind: string, challenge: string, prompt?: string): string {
  const client = kind === 'public' ? publicClient : oidcClient;
  return new URLSearchParams({
    ...(prompt ? { prompt } : {}),
    client_id: client.id,
    redirect_uri: client.redirectUri,
    response_type: 'code',
    scope: kind === 'stepup' ? 'openid profile' : 'openid profile email',
    state: 'fuzz-state',
    nonce: 'fuzz-nonce',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...(kind === 'stepup' ? { acr_values: substantial } : {}),
  }).toString();
}

async function interaction(world: World, session: Session, kind: string): Promise<Values> {
  const { verifier, challenge } = pkce();
  let response = await get(session.browser, `/oidc/auth?${authorizeQuery(kind, challenge)}`);
  // A logged-in browser that consented before goes straight back to the service: ask again.
  if (!localTarget(response.headers.location))
    response = await get(session.browser, `/oidc/auth?${authorizeQuery(kind, challenge, 'consent')}`);
  const uid = /^\/interaction\/([^/?]+)/.exec(localTarget(response.headers.location) ?? '')?.[1];
  if (!uid) throw new Error(`no interaction: ${response.statusCode} ${String(response.headers.location)}`);
  return { value: uid, verifier };
}

/**
 * A code for the fuzz account: its browser authorizes, consents when asked, and stops at the redirect to the service.
 */
async function oidcCode(world: World): Promise<Values> {
  const browser = world.session('user').browser;
  const { verifier, challenge } = pkce();
  const start = `/oidc/auth?${authorizeQuery('plain', challenge)}`;
  let { response, url } = await follow(browser, await get(browser, start), start);
  const consent = /action="(\/interaction\/[^"]+\/consent)"/.exec(response.body)?.[1];
  if (consent)
    ({ response, url } = await follow(
      browser,
      await post(browser, consent, { _csrf: csrfOf(response.body) }),
      consent,
    ));
  const code = url.startsWith(oidcClient.redirectUri) ? new URL(url).searchParams.get('code') : null;
  if (!code) throw new Error(`no code: ${response.statusCode} at ${url}`);
  return { code, verifier };
}

async function oidcTokens(world: World): Promise<Values> {
  const { code, verifier } = await oidcCode(world);
  const response = await world.t.fastify.inject({
    method: 'POST',
    url: '/oidc/token',
    remoteAddress: '198.19.255.1',
    payload: new URLSearchParams({
      grant_type: 'authorization_code',
      code: code ?? '',
      redirect_uri: oidcClient.redirectUri,
      code_verifier: verifier ?? '',
    }).toString(),
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${oidcClient.id}:${oidcClient.secret}`).toString('base64')}`,
    },
  });
  if (response.statusCode !== 200) throw new Error(`token exchange: ${response.statusCode}`);
  const tokens = response.json<{ access_token: string; refresh_token?: string; id_token: string }>();
  return { code: code ?? '', access: tokens.access_token, refresh: tokens.refresh_token ?? '', id: tokens.id_token };
}

async function samlUid(world: World, session: Session): Promise<Values> {
  const request = (forceAuthn: boolean) =>
    validAuthnRequestQuery({ world, session, refreshed: new Set() }, { forceAuthn });
  let response = await get(session.browser, `/saml/sso?${await request(false)}`);
  // A session that answers at once gets the Response at /saml/sso; with ForceAuthn the login stays pending instead.
  if (response.statusCode === 200 && response.body.includes('name="SAMLResponse"')) {
    // The app's clock stands still here: a login at the same instant as the request would count as after it.
    world.t.clock.advance(1000);
    response = await get(session.browser, `/saml/sso?${await request(true)}`);
  }
  const uid = /^\/saml\/login\/([^/?]+)/.exec(localTarget(response.headers.location) ?? '')?.[1];
  if (!uid) throw new Error(`no SAML login: ${response.statusCode}`);
  return { value: uid };
}

/** A finished SAML login of the fuzz account in a browser of its own: its participation, for LogoutRequests. */
async function samlLogin(world: World): Promise<Values> {
  const browser = new Browser(world.t.fastify);
  const form = await get(browser, '/login/password');
  const loggedIn = await post(browser, '/login/password', {
    _csrf: csrfOf(form.body),
    username: world.account.username,
    password: world.account.password,
  });
  if (loggedIn.statusCode !== 303) throw new Error('the fuzz account cannot log in');
  const start = `/saml/sso?${await validAuthnRequestQuery({ world, session: { name: 'saml-login', browser }, refreshed: new Set() })}`;
  let { response, url: at } = await follow(browser, await get(browser, start), start);
  for (let step = 0; step < 4 && !/name="SAMLResponse"/.test(response.body); step++) {
    const consent = /action="(\/saml\/login\/[^"]+\/consent)"/.exec(response.body)?.[1];
    if (!consent) throw new Error(`SAML login stopped at ${at}`);
    ({ response, url: at } = await follow(
      browser,
      await post(browser, consent, { _csrf: csrfOf(response.body) }),
      consent,
    ));
  }
  const row = (
    await world.t.app.db.query<{ name_id: string; session_index: string; sso_session_id: string }>(
      "SELECT name_id, session_index, sso_session_id FROM session_participations WHERE account_id = $1 AND protocol = 'saml' AND ended_at IS NULL ORDER BY id DESC LIMIT 1",
      [world.account.id],
    )
  ).rows[0];
  if (!row) throw new Error('no SAML participation');
  return { nameId: row.name_id, sessionIndex: row.session_index, sessionId: row.sso_session_id };
}

const cardOf = (name: string | undefined): TestCardId =>
  (testCardIds as readonly string[]).includes(name ?? '') ? (name as TestCardId) : 'erika';

/** Where the readings of a scope live; the scopes inside a login get a new login each. */
async function eidBase(world: World, session: Session, scope: string): Promise<{ base: string; uid: string }> {
  switch (scope) {
    case 'interaction':
    case 'interactionGuest': {
      const uid = (await interaction(world, session, scope === 'interaction' ? 'plain' : 'guest')).value ?? '';
      return { base: scope === 'interaction' ? `/interaction/${uid}` : `/interaction/${uid}/guest`, uid };
    }
    case 'saml':
    case 'samlGuest': {
      const uid = (await samlUid(world, session)).value ?? '';
      return { base: scope === 'saml' ? `/saml/login/${uid}` : `/saml/login/${uid}/guest`, uid };
    }
    case 'refresh':
      return { base: '/account/refresh', uid: '' };
    default:
      return { base: `/${scope}`, uid: '' };
  }
}

const lastSegment = (url: string) => new URL(url, 'http://localhost:3000').pathname.split('/').at(-1) ?? '';

async function eidReading(
  world: World,
  session: Session,
  [scope = 'login', step = 'created', card]: readonly string[],
): Promise<Values> {
  // "Mein Konto" reads cards only when logged in: without a session there is nothing to set up.
  if ((scope === 'account' || scope === 'refresh') && session.name !== 'user') return {};
  const { base, uid } = await eidBase(world, session, scope);
  const handOver = await get(session.browser, `${base}/eid`);
  if (handOver.statusCode !== 200)
    throw new Error(`hand-over page ${base}/eid: ${handOver.statusCode} ${String(handOver.headers.location ?? '')}`);
  const tcTokenUrl = tcTokenUrlOf(handOver.body);
  const values: Values = { uid, base, tcRef: lastSegment(tcTokenUrl), tcTokenUrl };
  if (step === 'created') return values;
  const { token } = await fetchTcToken(session.browser, tcTokenUrl);
  if (!token) throw new Error('no TC token');
  Object.assign(values, {
    ref: lastSegment(token.refreshAddress),
    psk: token.psk,
    sessionIdentifier: token.sessionIdentifier,
  });
  if (step === 'started') return values;
  const answer = await paosRead(
    session.browser,
    token,
    step === 'cancelled' ? { cancel: true } : { cardId: cardOf(card) },
  );
  if (step === 'read' || step === 'cancelled') return values;
  const refresh = refreshPath(token.refreshAddress, answer);
  let page = await get(session.browser, refresh);
  if (step === 'complete' && page.body.includes('action="/recover/eid/identify"')) {
    page = await post(session.browser, '/recover/eid/identify', {
      _csrf: csrfOf(page.body),
      transaction: formField(page.body, 'transaction'),
      ref: formField(page.body, 'ref'),
      identifier: world.account.username,
    });
  }
  return {
    ...values,
    transaction: formField(page.body, 'transaction'),
    ref: formField(page.body, 'ref') || (values.ref ?? ''),
  };
}

/** The simulated eID client's page for a fresh TC token: its pending reading id. */
async function eidClient(world: World, session: Session): Promise<Values> {
  const { tcTokenUrl = '' } = await eidReading(world, session, ['login', 'created']);
  const page = await get(session.browser, `/dev/eid-client/eID-Client?tcTokenURL=${encodeURIComponent(tcTokenUrl)}`);
  return { tcTokenUrl, id: formField(page.body, 'id') };
}

async function csrf(world: World, session: Session): Promise<Values> {
  for (const path of ['/login/password', '/account', '/register']) {
    const token = csrfOf((await get(session.browser, path)).body);
    if (token) return { value: token };
  }
  throw new Error('no page with a CSRF token');
}

export const makers: Record<string, Maker> = {
  csrf: { make: csrf },
  account: {
    always: true,
    make: async (world) => ({
      username: world.account.username,
      email: world.account.email,
      password: world.account.password,
      id: world.account.id,
    }),
  },
  totp: { always: true, make: async (world) => ({ value: world.totp() }) },
  recoveryCode: {
    always: true,
    make: async (world) => ({
      value: world.account.recoveryCodes[Math.floor(Math.random() * world.account.recoveryCodes.length)] ?? '',
    }),
  },
  mailToken: {
    make: async (world, _session, [purpose = 'verify_email']) => {
      const token = await emailLinks(world.t.clock).issue(
        world.t.app.db,
        world.account.id,
        purpose as LinkPurpose,
        purpose === 'change_email' ? { newEmail: `changed.${randomBytes(4).toString('hex')}@example.org` } : {},
      );
      return { value: token };
    },
  },
  smsTan: {
    always: true,
    make: async (world) => {
      const row = (
        await world.t.app.db.query<{ body: string }>('SELECT body FROM dev_sms_outbox ORDER BY id DESC LIMIT 1')
      ).rows[0];
      return { value: /\b(\d{6})\b/.exec(row?.body ?? '')?.[1] ?? '' };
    },
  },
  smsPending: {
    make: async (_world, session) => {
      const page = await get(session.browser, '/account');
      const sent = await post(session.browser, '/account/sms', { _csrf: csrfOf(page.body), phone: '+4915112345678' });
      return { value: String(sent.statusCode) };
    },
  },
  means: {
    always: true,
    make: async (world) => {
      const rows = (
        await world.t.app.db.query<{ id: string; kind: string }>(
          'SELECT id::text, kind FROM authentication_means WHERE account_id = $1 ORDER BY created_at',
          [world.account.id],
        )
      ).rows;
      const links = (
        await world.t.app.db.query<{ id: string }>('SELECT id::text FROM eid_links WHERE account_id = $1', [
          world.account.id,
        ])
      ).rows;
      const pick =
        rows.filter((r) => r.kind !== 'password')[Math.floor(Math.random() * Math.max(1, rows.length - 1))] ?? rows[0];
      return {
        id: pick?.id ?? '',
        blockField: `block_${pick?.id ?? ''}`,
        password: rows.find((r) => r.kind === 'password')?.id ?? '',
        link: links[0]?.id ?? '',
      };
    },
  },
  uid: { make: (world, session, [kind = 'plain']) => interaction(world, session, kind) },
  oidcCode: { cost: 'costly', make: (world) => oidcCode(world) },
  oidcTokens: { cost: 'costly', make: (world) => oidcTokens(world) },
  // Every SAML request costs a schema validation (about 150 ms, saml/xml/schema.ts).
  samlUid: { cost: 'costly', make: (world, session) => samlUid(world, session) },
  samlLogin: { cost: 'costly', make: (world) => samlLogin(world) },
  logoutFlow: {
    cost: 'costly',
    make: async (world) => {
      const { sessionId = '' } = await samlLogin(world);
      return {
        value: await startLogoutFlow(world.t.app.db, world.t.clock.now(), {
          sessionId,
          initiator: { kind: 'local', continueTo: '/logout/done' },
        }),
      };
    },
  },
  eid: {
    cost: 'costly',
    make: (world, session, args) => eidReading(world, session, args),
  },
  // A reading whose card was never read: each visit of its RefreshAddress asks the eID-Server for about a second.
  eidPending: {
    cost: 'slow',
    single: { fallback: ([scope = 'login']) => `eid:${scope}:cancelled` },
    make: (world, session, [scope = 'login']) => eidReading(world, session, [scope, 'started']),
  },
  eidClient: { cost: 'costly', make: eidClient },
  endSession: {
    make: async (_world, session) => {
      const page = await get(session.browser, '/oidc/session/end');
      return { xsrf: formField(page.body, 'xsrf') };
    },
  },
};
