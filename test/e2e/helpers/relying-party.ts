import assert from 'node:assert/strict';
import * as client from 'openid-client';
import type { Browser } from './browser.ts';
import { pageText, parsePage, readForm } from './browser.ts';

/** The online service under test, as registered with the CLI. */
export interface ServiceRegistration {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  postLogoutRedirectUri: string;
  name: string;
}

export function registrationArgs(service: ServiceRegistration): string[] {
  return [
    'client',
    'add',
    '--id',
    service.clientId,
    `--secret=${service.clientSecret}`,
    '--redirect-uri',
    service.redirectUri,
    '--post-logout-redirect-uri',
    service.postLogoutRedirectUri,
    '--name',
    service.name,
  ];
}

/**
 * openid-client against the issuer: discovery over plain http (test only), client_secret_basic, and
 * no client metadata: the ID token's RS256 is what a stock relying party expects (OIDC Registration §2).
 */
export async function discover(issuer: string, service: ServiceRegistration): Promise<client.Configuration> {
  return client.discovery(
    new URL(issuer),
    service.clientId,
    undefined,
    client.ClientSecretBasic(service.clientSecret),
    {
      execute: [client.allowInsecureRequests],
    },
  );
}

/** An authorization request with PKCE S256, state and nonce, and the values the callback is checked against. */
export async function authorizationRequest(
  config: client.Configuration,
  service: ServiceRegistration,
  extra: Record<string, string> = {},
) {
  const codeVerifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: service.redirectUri,
    scope: 'openid profile email',
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    ...extra,
  });
  return { url, codeVerifier, state, nonce };
}

/**
 * Plays the citizen in the browser from the authorization request to the
 * redirect back to the service: the login form and the consent form when
 * they come. Returns the callback URL (not visited) and the pages passed.
 */
export async function authorize(
  browser: Browser,
  authorizationUrl: URL,
  login: { username: string; password: string },
): Promise<{ callback: URL; pages: string[] }> {
  const pages: string[] = [];
  let { response, url, leftTo } = await browser.visit(authorizationUrl);
  for (let step = 0; step < 6; step++) {
    if (leftTo) return { callback: leftTo, pages };
    const markup = await response.text();
    assert.equal(
      response.status,
      200,
      `${url.pathname} answered ${response.status}: ${pageText(parsePage(markup)).slice(0, 400)}`,
    );
    const uid = /^\/interaction\/([^/]+)(?:\/password)?$/.exec(url.pathname)?.[1];
    assert.ok(uid, `expected an interaction page, got ${url.href}`);
    const page = parsePage(markup);
    let action: string;
    if (page.querySelector(`a[href="/interaction/${uid}/password"]`)) {
      // The method choice: pick "username and password", as a citizen would.
      pages.push('choice');
      action = `/interaction/${uid}/password`;
      ({ response, url, leftTo } = await browser.visit(new URL(action, url)));
      continue;
    } else if (page.querySelector(`form[action="/interaction/${uid}/password"]`)) {
      pages.push('login');
      const form = readForm(page, `form[action="/interaction/${uid}/password"]`);
      assert.ok(form.fields._csrf, 'the login form carries a CSRF token');
      action = form.action;
      response = await browser.post(action, { ...form.fields, username: login.username, password: login.password });
    } else if (page.querySelector(`form[action="/interaction/${uid}/consent"]`)) {
      pages.push('consent');
      const form = readForm(page, `form[action="/interaction/${uid}/consent"]`);
      assert.ok(form.fields._csrf, 'the consent form carries a CSRF token');
      action = form.action;
      response = await browser.post(action, form.fields);
    } else {
      assert.fail(`interaction page without login or consent form: ${pageText(page).slice(0, 400)}`);
    }
    assert.equal(response.status, 303, `POST ${action} answered ${response.status}`);
    ({ response, url, leftTo } = await browser.follow(response, action));
  }
  assert.fail(`no redirect back to the service after ${pages.join(', ')}`);
}

/** A raw token request (for cases openid-client would refuse to send). */
export async function tokenRequest(
  config: client.Configuration,
  service: ServiceRegistration,
  fields: Record<string, string>,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const endpoint = config.serverMetadata().token_endpoint;
  assert.ok(endpoint, 'discovery names a token endpoint');
  const basic = Buffer.from(
    `${encodeURIComponent(service.clientId)}:${encodeURIComponent(service.clientSecret)}`,
  ).toString('base64');
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: {
      authorization: `Basic ${basic}`,
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
    },
    body: new URLSearchParams(fields).toString(),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Asserts that `work` fails with an OAuth error response of status 4xx and the given error code. */
export async function rejectsWithOAuthError(work: Promise<unknown>, status: number, error: string): Promise<void> {
  await assert.rejects(work, (thrown: unknown) => {
    if (thrown instanceof client.ResponseBodyError) {
      assert.equal(
        thrown.status,
        status,
        `status ${thrown.status}, ${thrown.error}: ${thrown.error_description ?? ''}`,
      );
      assert.equal(thrown.error, error);
      assert.ok(
        thrown.error_description && thrown.error_description.length > 5,
        'the error carries a readable description',
      );
      return true;
    }
    if (thrown instanceof client.WWWAuthenticateChallengeError) {
      assert.equal(thrown.status, status);
      const challenge = thrown.cause[0];
      assert.equal(challenge?.parameters.error, error);
      assert.ok(
        (challenge?.parameters.error_description ?? '').length > 5,
        'the challenge carries a readable description',
      );
      return true;
    }
    assert.fail(`expected an OAuth error ${error}, got ${String(thrown)}`);
  });
}
