import { createHash, randomBytes } from 'node:crypto';
import { Browser, BrowserProfile, findForm, glimpse } from '../lib/browser.ts';
import { basicAuth, formBody, jsonOf } from '../lib/http.ts';
import type { ScenarioContext } from './scenario.ts';

export interface TokenSet {
  access_token: string;
  id_token?: string;
  refresh_token?: string;
  token_type: string;
}

const scope = 'openid profile email';

/**
 * One citizen's login at the online service, as a browser and the service
 * do it: the authorization request with PKCE S256, state and nonce (RFC
 * 7636, RFC 9700 §2.1.1), redirects followed, the method choice, the
 * password page, the form post with the CSRF token and the cookies, the
 * consent when asked, then the service's code exchange at the token
 * endpoint. Without a profile the browser has never been here; with one, it
 * is the citizen's own browser, whose last session has ended. Returns the
 * tokens and the pages passed.
 */
export async function fullLogin(
  ctx: ScenarioContext,
  account: { username: string; password: string },
  forwardedFor: string,
  profile = new BrowserProfile(),
): Promise<{ tokens: TokenSet; pages: string[] }> {
  const { client } = ctx.fixtures;
  const browser = new Browser(ctx.base, ctx.request, forwardedFor, profile);
  const verifier = randomBytes(32).toString('base64url');
  const state = randomBytes(16).toString('base64url');
  const authorization = new URL(ctx.fixtures.authorizationPath, ctx.base);
  authorization.search = new URLSearchParams({
    client_id: client.id,
    redirect_uri: client.redirectUri,
    response_type: 'code',
    scope,
    state,
    nonce: randomBytes(16).toString('base64url'),
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  }).toString();

  const pages: string[] = [];
  let hop = await browser.visit(authorization);
  for (let step = 0; step < 6 && !hop.leftTo; step++) {
    const { response, url } = hop;
    if (response.status !== 200)
      throw new Error(`${url.pathname} answered ${response.status}: ${glimpse(response.body)}`);
    const uid = /^\/interaction\/([^/]+)/.exec(url.pathname)?.[1];
    if (!uid) throw new Error(`expected an interaction page, got ${url.pathname}`);
    const html = response.body;
    const password = findForm(html, (_tag, action) => action === `/interaction/${uid}/password`);
    const consent = findForm(html, (_tag, action) => action === `/interaction/${uid}/consent`);
    if (password) {
      pages.push('password');
      hop = await browser.submit(password.action, {
        ...password.fields,
        username: account.username,
        password: account.password,
      });
    } else if (consent) {
      pages.push('consent');
      hop = await browser.submit(consent.action, consent.fields);
    } else if (html.includes(`href="/interaction/${uid}/password"`)) {
      // The method choice: the citizen picks "username and password".
      pages.push('choice');
      hop = await browser.visit(`/interaction/${uid}/password`);
    } else {
      throw new Error(`interaction page without a login or consent form: ${glimpse(html)}`);
    }
  }
  const callback = hop.leftTo;
  if (!callback) throw new Error(`no redirect back to the service after ${pages.join(', ')}`);
  const error = callback.searchParams.get('error');
  if (error) throw new Error(`the service got ${error}: ${callback.searchParams.get('error_description') ?? ''}`);
  if (callback.searchParams.get('state') !== state) throw new Error('state came back changed');
  const code = callback.searchParams.get('code');
  if (!code) throw new Error('no code in the redirect');
  const tokens = await tokenRequest(ctx, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: client.redirectUri,
    code_verifier: verifier,
  });
  if (!tokens.id_token) throw new Error('the code exchange returned no ID token');
  return { tokens, pages };
}

/** A token request of the confidential client (client_secret_basic), as a service's back end sends it. */
export async function tokenRequest(ctx: ScenarioContext, fields: Record<string, string>): Promise<TokenSet> {
  const { client } = ctx.fixtures;
  const response = await ctx.request(new URL(ctx.fixtures.tokenPath, ctx.base), {
    method: 'POST',
    headers: {
      authorization: basicAuth(client.id, client.secret),
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
    },
    body: formBody(fields),
  });
  const body = jsonOf<TokenSet & { error?: string; error_description?: string }>(
    response,
    `token endpoint (${fields.grant_type})`,
  );
  if (response.status !== 200 || !body.access_token)
    throw new Error(
      `token endpoint (${fields.grant_type}) answered ${response.status}: ${body.error ?? ''} ${body.error_description ?? ''}`,
    );
  return body;
}
