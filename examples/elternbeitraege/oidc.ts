import * as client from 'openid-client';

export interface OidcSettings {
  /** The Servicekonto's issuer URL, e.g. https://servicekonto.example.de */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** This service's own base URL. */
  baseUrl: string;
}

/**
 * Everything this service does with OpenID Connect, through openid-client:
 * discovery, the authorization request with PKCE, the code exchange with
 * ID-token validation, userinfo, and the logout URL.
 */
export interface PendingLogin {
  codeVerifier: string;
  state: string;
  nonce: string;
  /** The trust level asked for, if any. */
  acr?: string;
}

/** The Servicekonto's `acr` values, lowest first, with the words a citizen reads. */
export const trustLevels = [
  { acr: 'urn:servicekonto:loa:basis', label: 'Basisregistrierung' },
  { acr: 'http://eidas.europa.eu/LoA/low', label: 'niedrig' },
  { acr: 'http://eidas.europa.eu/LoA/substantial', label: 'substanziell' },
  { acr: 'http://eidas.europa.eu/LoA/high', label: 'hoch' },
] as const;

export const acrHigh = 'http://eidas.europa.eu/LoA/high';

const rank = (acr: string | undefined) => trustLevels.findIndex((level) => level.acr === acr);

/** Whether the `acr` of an ID token is at least the level asked for (an unknown value never is). */
export function reaches(acr: string | undefined, wanted: string): boolean {
  const have = rank(acr);
  return have >= 0 && have >= rank(wanted);
}

/** The login succeeded, but below the trust level the service asked for. */
export class LevelNotReached extends Error {
  readonly acr: string | undefined;
  constructor(acr: string | undefined) {
    super(`the ID token's acr ${acr ?? '(none)'} is below the level asked for`);
    this.acr = acr;
  }
}

export function servicekonto(settings: OidcSettings) {
  let configuration: Promise<client.Configuration> | undefined;
  const config = () => {
    configuration ??= client
      .discovery(
        new URL(settings.issuer),
        settings.clientId,
        { id_token_signed_response_alg: 'ES256' },
        client.ClientSecretBasic(settings.clientSecret),
        {
          // Plain http only for a Servicekonto on this machine (development).
          ...(new URL(settings.issuer).protocol === 'http:' ? { execute: [client.allowInsecureRequests] } : {}),
        },
      )
      .catch((error: unknown) => {
        configuration = undefined; // try again next time (the Servicekonto may still be starting)
        throw error;
      });
    return configuration;
  };
  const redirectUri = `${settings.baseUrl}/callback`;

  return {
    /**
     * Step 1: where to send the citizen, and what to remember until the
     * callback. With `acr` the service asks for a trust level (`acr_values`),
     * e.g. `http://eidas.europa.eu/LoA/high`: the Servicekonto then lets the
     * citizen in only with a means of that level (the online ID).
     */
    async startLogin(options: { acr?: string } = {}): Promise<{ url: string; pending: PendingLogin }> {
      const codeVerifier = client.randomPKCECodeVerifier();
      const state = client.randomState();
      const nonce = client.randomNonce();
      const url = client.buildAuthorizationUrl(await config(), {
        redirect_uri: redirectUri,
        scope: 'openid profile email address',
        code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
        state,
        nonce,
        ...(options.acr ? { acr_values: options.acr } : {}),
      });
      return { url: url.href, pending: { codeVerifier, state, nonce, ...(options.acr ? { acr: options.acr } : {}) } };
    },
    /**
     * Step 2: the callback; validates state, nonce, PKCE and the ID token,
     * then reads the released data. `acr` is the trust level the ID token
     * says; a login asked for a level must reach it (checked here, not
     * trusted to the request).
     */
    async finishLogin(callbackUrl: URL, pending: PendingLogin) {
      const configuration = await config();
      const tokens = await client.authorizationCodeGrant(configuration, callbackUrl, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      const claims = tokens.claims();
      if (!claims) throw new Error('no ID token');
      const acr = typeof claims.acr === 'string' ? claims.acr : undefined;
      if (pending.acr && !reaches(acr, pending.acr)) throw new LevelNotReached(acr);
      const userinfo = await client.fetchUserInfo(configuration, tokens.access_token, claims.sub);
      return { idToken: tokens.id_token ?? '', subject: claims.sub, acr, userinfo };
    },
    /** Step 3: logout through the Servicekonto, which ends the SSO session too. */
    async logoutUrl(idToken: string): Promise<string> {
      return client.buildEndSessionUrl(await config(), {
        id_token_hint: idToken,
        post_logout_redirect_uri: `${settings.baseUrl}/?abgemeldet=1`,
      }).href;
    },
  };
}

export type Servicekonto = ReturnType<typeof servicekonto>;
