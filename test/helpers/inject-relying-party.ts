import type { FastifyInstance } from 'fastify';
import * as client from 'openid-client';

/**
 * openid-client (a real relying party) talking to the app in the test by
 * `inject`: every request the client makes (discovery, JWKS, token,
 * userinfo) goes through the real app, without a listening socket.
 */
export function injectFetch(fastify: FastifyInstance): client.CustomFetch {
  return async (url, options) => {
    const target = new URL(url);
    const body = options.body === undefined || options.body === null ? undefined : String(options.body);
    const response = await fastify.inject({
      method: options.method as 'GET' | 'POST',
      url: `${target.pathname}${target.search}`,
      headers: options.headers,
      ...(body === undefined ? {} : { payload: body }),
    });
    const headers = new Headers();
    for (const [name, value] of Object.entries(response.headers)) {
      for (const one of Array.isArray(value) ? value : [value])
        if (one !== undefined) headers.append(name, String(one));
    }
    const empty = response.statusCode === 204 || response.statusCode === 304;
    return new Response(empty ? null : new Uint8Array(response.rawPayload), { status: response.statusCode, headers });
  };
}

/** Discovery at the test app's issuer (PUBLIC_URL http://localhost:3000) with the given client authentication. */
export function discoverInjected(
  fastify: FastifyInstance,
  clientId: string,
  metadata: Partial<client.ClientMetadata>,
  auth: client.ClientAuth,
): Promise<client.Configuration> {
  return client.discovery(new URL('http://localhost:3000'), clientId, metadata, auth, {
    [client.customFetch]: injectFetch(fastify),
    execute: [client.allowInsecureRequests],
  });
}

/** An authorization request with PKCE S256, state and nonce, and what the callback is checked against. */
export async function authorizationRequest(
  config: client.Configuration,
  redirectUri: string,
  extra: Record<string, string> = {},
) {
  const codeVerifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: 'openid',
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    ...extra,
  });
  return {
    url,
    checks: { pkceCodeVerifier: codeVerifier, expectedState: state, expectedNonce: nonce, idTokenExpected: true },
  };
}
