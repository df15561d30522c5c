import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import type { Clock } from '../platform/clock.ts';
import type { Queryable } from '../platform/db/database.ts';
import type { ServiceRepository } from '../services/service-repository.ts';
import { reuseClients } from './client-reuse.ts';
import type { SsoSessions } from '../session/sso-session-repository.ts';
import { acrValues } from './acr.ts';
import { createOidcAdapter } from './adapter.ts';
import { readClaimsSource } from './claims-source-repository.ts';
import { rememberSsoToken, scopeProviderRequests, takeAccount, takeConsent } from './request-scope.ts';
import { accountClaims, scopeClaims, supportedScopes } from './claims.ts';
import { levelOfToken, loginOfGrantSource } from './token-authentication.ts';
import { evidenceRepository } from './evidence-repository.ts';
import { verifiedClaims, verifiedClaimsDiscovery } from './verified-claims.ts';
import { buildInteractionPolicy } from './interaction-policy.ts';
import { pseudonym, sectorOfClient } from './pairwise.ts';
import { signingAlgorithms } from './keys.ts';
import { remainingSessionSeconds } from './token-lifetimes.ts';
import type { OidcPages } from './pages.ts';
import { clientAuthMethods } from './client-auth-methods.ts';
import { providerCookieNames } from './cookies.ts';
import { rememberUiLocales, uiLocalesSupported } from './ui-locales.ts';
import type { ConsentRepository } from '../flows/consent/consent-repository.ts';
import { loadRememberedGrant } from '../flows/consent/remembered-grant.ts';
import { guestClaimsStore, isGuestId } from './guest-claims-store.ts';
import { allowGuestResume, guestGrant, guestTtl } from './guest.ts';

export interface ProviderDeps {
  issuer: string;
  production: boolean;
  db: Queryable;
  clock: Clock;
  sessions: SsoSessions;
  consents: ConsentRepository;
  services: ServiceRepository;
  jwks: { keys: object[] };
  cookieKeys: string[];
  pairwiseSecret: string;
  sessionCookie: string;
  /** Our cookie for the language a service asked for (ui-locales.ts). */
  interactionLangCookie: string;
  pages: OidcPages;
}

/** All routes live under /oidc; discovery stays at the issuer's /.well-known (OIDC Discovery §4). */
export const oidcRoutes = {
  authorization: '/oidc/auth',
  token: '/oidc/token',
  userinfo: '/oidc/userinfo',
  jwks: '/oidc/jwks',
  end_session: '/oidc/session/end',
  revocation: '/oidc/token/revocation',
  introspection: '/oidc/token/introspection',
  pushed_authorization_request: '/oidc/request',
  backchannel_authentication: '/oidc/backchannel',
  code_verification: '/oidc/device',
  device_authorization: '/oidc/device/auth',
  registration: '/oidc/reg',
  challenge: '/oidc/challenge',
} as const;

const interactionSeconds = 30 * 60;

export function createProvider(deps: ProviderDeps): Provider {
  const evidence = evidenceRepository(deps.db);
  const guests = guestClaimsStore(deps.db, deps.clock);
  const adapter = createOidcAdapter(deps.db, deps.clock, deps.services);
  // The consent read with the resumed interaction (adapter.ts), else from the database.
  const consentsReadAhead: ConsentRepository = {
    ...deps.consents,
    active: async (accountId, serviceId) => {
      const ahead = takeConsent(accountId, serviceId);
      return ahead === undefined ? deps.consents.active(accountId, serviceId) : (ahead ?? undefined);
    },
  };
  const configuration: Configuration = {
    adapter,
    routes: oidcRoutes,
    // The certified defaults, with our pages for every interaction.
    interactions: {
      // A guest login (no account, no SSO session) passes the session check only on its own resume.
      policy: allowGuestResume(buildInteractionPolicy(deps.sessions, deps.sessionCookie, deps.services)),
      url: (_ctx, interaction) => `/interaction/${interaction.uid}`,
    },
    cookies: {
      keys: deps.cookieKeys,
      names: providerCookieNames(deps.production),
      // Path=/ and no Domain, as the session cookie's __Host- prefix demands (cookies.ts).
      long: { httpOnly: true, sameSite: 'lax', secure: deps.production, path: '/' },
      short: { httpOnly: true, sameSite: 'lax', secure: deps.production },
    },
    jwks: deps.jwks as Configuration['jwks'],
    enabledJWA: { idTokenSigningAlgValues: [...signingAlgorithms], userinfoSigningAlgValues: [...signingAlgorithms] },
    // Discovery advertises what `client add` can register (cli/client-metadata.ts), nothing more.
    clientAuthMethods,
    clientDefaults: {
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      // Clients stored before `--id-token-alg` existed have none and keep the ES256 their services validate;
      // the CLI writes the algorithm into every client it registers (RS256 unless chosen).
      id_token_signed_response_alg: 'ES256',
      token_endpoint_auth_method: 'client_secret_basic',
      // DESIGN.md §4: every service gets its own pseudonym by default.
      subject_type: 'pairwise',
    },
    subjectTypes: ['pairwise', 'public'],
    pairwiseIdentifier: (_ctx, accountId, client) => pseudonym(deps.pairwiseSecret, sectorOfClient(client), accountId),
    // Ours: a sector pinned for clients registered before it lost its port (oidc/pairwise.ts, migration 0009).
    extraClientMetadata: { properties: ['pseudonym_sector'] },
    scopes: [...supportedScopes, 'offline_access'],
    claims: { ...scopeClaims, sid: null },
    acrValues,
    // OIDC4IA §8 OP metadata; oidc-provider has no identity assurance feature
    // of its own, its `discovery` option adds properties to the document.
    discovery: { ...verifiedClaimsDiscovery, ui_locales_supported: [...uiLocalesSupported] },
    extraTokenClaims: loginOfGrantSource,
    responseTypes: ['code'],
    // RFC 9700 §2.1.1: PKCE with S256 for every client; required for public clients, honoured for all.
    pkce: { required: (_ctx, client) => client.clientAuthMethod === 'none' },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: deps.pages.logoutSource,
        postLogoutSuccessSource: deps.pages.postLogoutSuccessSource,
      },
      backchannelLogout: { enabled: true },
      revocation: { enabled: true },
      // A service may introspect only its own tokens: another service's would
      // reveal a pseudonym that is not its own (DESIGN.md §4).
      introspection: { enabled: true, allowedPolicy: (_ctx, client, token) => token.clientId === client.clientId },
      clientCredentials: { enabled: true },
      // Off: every claim a service gets must be shown on the consent page,
      // which lists scopes; the claims parameter would bypass it.
      claimsParameter: { enabled: false },
      userinfo: { enabled: true },
    },
    // A guest login is once: no refresh token (design notes §6 Guest login).
    issueRefreshToken: async (_ctx, client, code) =>
      client.grantTypeAllowed('refresh_token') && !isGuestId(code.accountId),
    rotateRefreshToken: true,
    ttl: {
      AccessToken: (_ctx, token) => guestTtl.accessToken(token.accountId) ?? 10 * 60,
      AuthorizationCode: 60,
      IdToken: 60 * 60,
      Interaction: interactionSeconds,
      Grant: (_ctx, grant) => guestTtl.record(grant.accountId) ?? 14 * 24 * 3600,
      // The provider's session and refresh tokens end with the level's longest session (TR-03160-1 table 2).
      Session: (_ctx, session) =>
        guestTtl.record(session.accountId) ?? remainingSessionSeconds(deps.clock, session.acr, session.loginTs),
      RefreshToken: (_ctx, token) => remainingSessionSeconds(deps.clock, token.acr, token.authTime),
      ClientCredentials: 10 * 60,
    },
    // A guest has no stored consent: only the grant of its own consent counts.
    loadExistingGrant: (ctx: KoaContextWithOIDC) =>
      isGuestId(ctx.oidc.session?.accountId) ? guestGrant(ctx) : loadRememberedGrant(ctx, consentsReadAhead),
    findAccount: async (_ctx, id, token) => {
      // A guest login: the claims it released, while they live (guest-claims-store.ts). Its `sub`,
      // pairwise or not, comes from a random one-time id: it is no pseudonym.
      if (isGuestId(id)) {
        const claims = await guests.find(id);
        return claims && { accountId: id, claims: async () => ({ ...claims, sub: id }) };
      }
      // Read with the token when the request took one in (adapter.ts), else the account with its attributes at once.
      const ahead = takeAccount(id);
      const source = ahead === undefined ? await readClaimsSource(deps.db, id) : (ahead ?? undefined);
      // A locked account gets no tokens, refreshes or userinfo.
      if (!source || source.account.state !== 'active') return undefined;
      const { account, attributes } = source;
      return {
        accountId: account.id,
        // `scope` is what was granted for this response (userinfo: the access
        // token's; ID token: the code's or refresh token's).
        claims: async (_use, scope, _claims, _rejected) => {
          const claims = accountClaims(account, attributes, id);
          const scopes = scope.split(' ');
          if (!scopes.includes('verified_claims')) return claims;
          const verified = verifiedClaims({
            attributes,
            evidence: await evidence.forAccount(account.id),
            sessionLevel: levelOfToken(token),
            scopes,
          });
          return verified ? { ...claims, verified_claims: verified } : claims;
        },
      };
    },
    renderError: deps.pages.renderError,
    clientBasedCORS: (_ctx, origin, client) =>
      client.redirectUris?.some((uri) => new URL(uri).origin === origin) ?? false,
    conformIdTokenClaims: true,
    // oidc-provider refuses outgoing requests (back-channel logout) to loopback
    // and private addresses (SSRF guard). Outside production the example
    // service runs on localhost, so the guard is dropped there only.
    ...(deps.production
      ? {}
      : {
          fetch: (url: string | URL | Request, options?: RequestInit) => {
            const { dispatcher: _d, ...init } = (options ?? {}) as RequestInit & { dispatcher?: unknown };
            return globalThis.fetch(url, init);
          },
        }),
  };

  const provider = new Provider(deps.issuer, configuration);
  reuseClients(provider, deps.services);
  scopeProviderRequests(provider, (scope) => adapter.writeHeld(scope));
  // Within the scope: a read of an interaction resumes the SSO session along (adapter.ts, interaction-policy.ts).
  provider.use(async (ctx, next) => {
    rememberSsoToken(ctx.cookies.get(deps.sessionCookie));
    await next();
  });
  rememberUiLocales(provider, deps.interactionLangCookie, deps.production, interactionSeconds);
  return provider;
}
