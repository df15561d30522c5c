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
export function servicekonto(settings: OidcSettings) {
  let configuration: Promise<client.Configuration> | undefined;
  const config = () => {
    configuration ??= client
      .discovery(new URL(settings.issuer), settings.clientId, { id_token_signed_response_alg: 'ES256' }, client.ClientSecretBasic(settings.clientSecret), {
        // Plain http only for a Servicekonto on this machine (development).
        ...(new URL(settings.issuer).protocol === 'http:' ? { execute: [client.allowInsecureRequests] } : {}),
      })
      .catch((error: unknown) => {
        configuration = undefined; // try again next time (the Servicekonto may still be starting)
        throw error;
      });
    return configuration;
  };
  const redirectUri = `${settings.baseUrl}/callback`;

  return {
    /** Step 1: where to send the citizen, and what to remember until the callback. */
    async startLogin(): Promise<{ url: string; pending: { codeVerifier: string; state: string; nonce: string } }> {
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
      });
      return { url: url.href, pending: { codeVerifier, state, nonce } };
    },
    /** Step 2: the callback; validates state, nonce, PKCE and the ID token, then reads the released data. */
    async finishLogin(callbackUrl: URL, pending: { codeVerifier: string; state: string; nonce: string }) {
      const configuration = await config();
      const tokens = await client.authorizationCodeGrant(configuration, callbackUrl, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      const claims = tokens.claims();
      if (!claims) throw new Error('no ID token');
      const userinfo = await client.fetchUserInfo(configuration, tokens.access_token, claims.sub);
      return { idToken: tokens.id_token ?? '', subject: claims.sub, userinfo };
    },
    /** Step 3: logout through the Servicekonto, which ends the SSO session too. */
    async logoutUrl(idToken: string): Promise<string> {
      return client.buildEndSessionUrl(await config(), { id_token_hint: idToken, post_logout_redirect_uri: `${settings.baseUrl}/?abgemeldet=1` }).href;
    },
  };
}

export type Servicekonto = ReturnType<typeof servicekonto>;
