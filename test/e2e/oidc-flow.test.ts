/**
 * End to end: the real server as a child process (`node src/main.ts`), a real
 * SMTP relay, the operator CLI to register the online service, openid-client
 * as the relying party and fetch with a cookie jar as the citizen's browser.
 * The whole journey runs once on PostgreSQL and once on the embedded PGlite;
 * protocol errors are checked on the PostgreSQL server.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as client from 'openid-client';
import { Browser, pageText, parsePage, readForm } from './helpers/browser.ts';
import {
  authorizationRequest,
  authorize,
  discover,
  registrationArgs,
  rejectsWithOAuthError,
  tokenRequest,
  type ServiceRegistration,
} from './helpers/relying-party.ts';
import {
  childEnv,
  createScratchDatabase,
  dropScratchDatabase,
  freePort,
  queryScratch,
  runCli,
  startServer,
  type RunningServer,
} from './helpers/server.ts';
import { startSmtpSink } from './helpers/smtp-sink.ts';

const password = 'correct horse battery staple 42';

const service: ServiceRegistration = {
  clientId: 'e2e-service',
  clientSecret: randomBytes(32).toString('base64url'),
  redirectUri: 'https://service.example/callback',
  postLogoutRedirectUri: 'https://service.example/logged-out',
  name: 'E2E-Testdienst',
};

type Smtp = Awaited<ReturnType<typeof startSmtpSink>>;
let smtp: Smtp | undefined;

before(async () => {
  smtp = await startSmtpSink();
});

after(async () => {
  await smtp?.close();
});

interface Installation {
  server: RunningServer;
  config: client.Configuration;
  /** PostgreSQL only: the scratch database, for checks from outside. */
  databaseUrl?: string;
}

/** Registers the service with the CLI, then starts the server on the same database. */
async function install(database: { DATABASE_URL: string } | { DATA_DIR: string }): Promise<Installation> {
  assert.ok(smtp, 'the SMTP sink runs');
  const port = await freePort();
  const env = childEnv({
    ...database,
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: `http://localhost:${port}`,
    LOG_LEVEL: 'warn',
    START_EXAMPLE: 'false',
    SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
  });
  await runCli(registrationArgs(service), env);
  const server = await startServer(env, port);
  const config = await discover(server.baseUrl, service);
  return { server, config, ...('DATABASE_URL' in database ? { databaseUrl: database.DATABASE_URL } : {}) };
}

/** No request of the run was answered with a 5xx (those are logged at level error). */
function assertNoServerErrors(server: RunningServer): void {
  const errors = server
    .output()
    .split('\n')
    .filter((line) => /"level":(50|60)/.test(line) || /failed to start|Error:/.test(line));
  assert.deepEqual(errors, [], `the server logged errors:\n${errors.join('\n')}`);
}

/** Registration with mail confirmation; returns the login name. */
async function registerCitizen(browser: Browser): Promise<{ username: string; email: string }> {
  assert.ok(smtp);
  const username = `e2e_${randomBytes(5).toString('hex')}`;
  const email = `${username}@example.org`;

  const form = await browser.request('/register');
  assert.equal(form.status, 200);
  const registration = readForm(parsePage(await form.text()), 'form[action="/register"]');
  assert.ok(registration.fields._csrf, 'the registration form carries a CSRF token');

  const posted = await browser.post('/register', {
    ...registration.fields,
    username,
    email,
    password,
    password2: password,
    terms: 'yes',
  });
  // Post/redirect/get: the "check your mail" page is reached by a redirect, so a reload never posts again.
  assert.equal(posted.status, 303, `registration answered ${posted.status}`);
  const sent = await browser.follow(posted, '/register');
  assert.equal(sent.url.pathname, '/register/sent');
  const sentText = pageText(parsePage(await sent.response.text()));
  assert.ok(sentText.includes(email), 'the confirmation page names the address the mail went to');

  const mail = await smtp.waitFor(email);
  const link = /(https?:\/\/\S+\/verify-email\?token=[A-Za-z0-9_-]+)/.exec(mail.text)?.[1];
  assert.ok(link, `the mail holds the confirmation link:\n${mail.text}`);
  assert.equal(new URL(link).origin, browser.base.origin, 'the link points to PUBLIC_URL');

  // The link shows a button; a fresh browser (the phone's mail app) presses it.
  const phone = new Browser(browser.base.href);
  const page = await phone.request(link);
  assert.equal(page.status, 200, `the confirmation link answered ${page.status}`);
  const button = readForm(parsePage(await page.text()), 'form[action="/verify-email"]');
  const confirmed = await phone.follow(await phone.post('/verify-email', button.fields), '/verify-email');
  assert.equal(confirmed.url.pathname, '/login', 'the confirmed citizen is led to the login');
  assert.ok(
    pageText(parsePage(await confirmed.response.text())).includes('Ihr Konto ist aktiv. Melden Sie sich jetzt an.'),
    'the login says the account is active',
  );
  return { username, email };
}

/**
 * The citizen's whole journey: register, confirm the address, log in at the
 * service, consent, tokens, userinfo, refresh, RP-initiated logout.
 */
async function citizenJourney(installation: Installation): Promise<void> {
  const { server, config } = installation;
  const browser = new Browser(server.baseUrl);
  const { username, email } = await registerCitizen(browser);

  // Authorization code flow with PKCE S256, state and nonce.
  const request = await authorizationRequest(config, service);
  const { callback, pages } = await authorize(browser, request.url, { username, password });
  assert.deepEqual(
    pages,
    ['choice', 'login', 'consent'],
    'a first login offers the methods, asks for the password, then for consent',
  );
  assert.equal(`${callback.origin}${callback.pathname}`, service.redirectUri);
  assert.ok(callback.searchParams.get('code'), 'the redirect carries a code');
  assert.equal(callback.searchParams.get('iss'), server.baseUrl, 'RFC 9207: the redirect names the issuer');

  // openid-client checks state, the ID token's signature, iss, aud, nonce, and sends the verifier.
  const tokens = await client.authorizationCodeGrant(config, callback, {
    pkceCodeVerifier: request.codeVerifier,
    expectedState: request.state,
    expectedNonce: request.nonce,
    idTokenExpected: true,
  });
  const claims = tokens.claims();
  assert.ok(claims, 'an ID token came with the tokens');
  assert.ok(tokens.refresh_token, 'a refresh token came with the tokens');
  assert.match(claims.sub, /^[A-Za-z0-9_-]{43}$/, 'the subject is a pairwise pseudonym (43 characters base64url)');
  assert.equal(
    claims.acr,
    'urn:servicekonto:loa:basis',
    'a password login on self-entered data is level 1 (DESIGN.md §3)',
  );
  assert.deepEqual(claims.amr, ['pwd'], 'RFC 8176: the password was used');
  assert.equal(typeof claims.auth_time, 'number');

  // The pseudonym is not the account's id (from the citizen's own data export).
  const exported = await browser.request('/account/export');
  assert.equal(exported.status, 200);
  const accountId = ((await exported.json()) as { account: { id: string } }).account.id;
  assert.match(accountId, /^[0-9a-f-]{36}$/);
  assert.notEqual(claims.sub, accountId, 'the service does not see the account id');
  if (installation.databaseUrl) {
    const rows = await queryScratch<{ id: string }>(
      installation.databaseUrl,
      'SELECT id FROM accounts WHERE username = $1',
      [username],
    );
    assert.equal(rows[0]?.id, accountId);
  }

  const userinfo = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
  assert.equal(userinfo.email, email);
  assert.equal(userinfo.email_verified, true);

  // Refresh: new tokens, the old refresh token is rotated out.
  const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token);
  assert.ok(refreshed.refresh_token, 'a rotated refresh token');
  assert.notEqual(refreshed.access_token, tokens.access_token);
  assert.notEqual(refreshed.refresh_token, tokens.refresh_token);
  assert.equal(refreshed.claims()?.sub, claims.sub, 'the refreshed ID token names the same pseudonym');
  assert.equal((await client.fetchUserInfo(config, refreshed.access_token, claims.sub)).email, email);
  await rejectsWithOAuthError(client.refreshTokenGrant(config, tokens.refresh_token), 400, 'invalid_grant');

  // A second authorization in the same browser: SSO and remembered consent, no page at all.
  const again = await authorizationRequest(config, service);
  const silent = await authorize(browser, again.url, { username, password });
  assert.deepEqual(silent.pages, [], 'single sign-on: neither login nor consent asked again');
  const second = await client.authorizationCodeGrant(config, silent.callback, {
    pkceCodeVerifier: again.codeVerifier,
    expectedState: again.state,
    expectedNonce: again.nonce,
    idTokenExpected: true,
  });
  assert.equal(second.claims()?.sub, claims.sub, 'the same service sees the same pseudonym');

  // RP-initiated logout with the confirmation page.
  const endSession = client.buildEndSessionUrl(config, {
    id_token_hint: tokens.id_token ?? '',
    post_logout_redirect_uri: service.postLogoutRedirectUri,
  });
  const confirm = await browser.request(endSession);
  const confirmMarkup = await confirm.text();
  assert.equal(
    confirm.status,
    200,
    `the end-session endpoint answered ${confirm.status}: ${pageText(parsePage(confirmMarkup)).slice(0, 400)}`,
  );
  const confirmPage = parsePage(confirmMarkup);
  assert.ok(pageText(confirmPage).includes(service.name), 'the logout page names the service');
  const logoutForm = readForm(confirmPage, 'form[id="op.logoutForm"]');
  assert.ok(logoutForm.fields.xsrf, 'the logout form carries its xsrf token');
  const loggedOut = await browser.post(logoutForm.action, { xsrf: logoutForm.fields.xsrf ?? '', logout: 'yes' });
  assert.ok(loggedOut.status === 302 || loggedOut.status === 303, `logout answered ${loggedOut.status}`);
  const back = new URL(loggedOut.headers.get('location') ?? '', server.baseUrl);
  assert.equal(`${back.origin}${back.pathname}`, service.postLogoutRedirectUri, 'the browser goes back to the service');

  // The SSO session has ended with it, and so have the tokens.
  const account = await browser.request('/account');
  assert.equal(account.status, 303);
  assert.match(
    account.headers.get('location') ?? '',
    /^\/login(\?|$)/,
    '/account sends a logged-out citizen to the login',
  );
  await rejectsWithOAuthError(client.refreshTokenGrant(config, refreshed.refresh_token), 400, 'invalid_grant');
  await rejectsWithOAuthError(client.fetchUserInfo(config, refreshed.access_token, claims.sub), 401, 'invalid_token');

  // And a new authorization asks for the password again (consent stays remembered).
  const afterLogout = await authorizationRequest(config, service);
  const { response, url } = await browser.visit(afterLogout.url);
  assert.equal(response.status, 200);
  assert.ok(
    parsePage(await response.text()).querySelector(`a[href="${url.pathname}/password"]`),
    'after logout the login is asked again',
  );
}

/**
 * Runs the set-up in a before hook. A failing hook only cancels the tests
 * without showing why, so the failure is kept and thrown by every test.
 */
function setUp(work: () => Promise<Installation>): () => Installation {
  let installation: Installation | undefined;
  let failure: unknown;
  before(async () => {
    try {
      installation = await work();
    } catch (error) {
      failure = error;
    }
  });
  return () => {
    if (failure !== undefined) throw failure;
    assert.ok(installation, 'the set-up did not run');
    return installation;
  };
}

describe('OIDC end to end on PostgreSQL', () => {
  let scratch: { name: string; url: string } | undefined;
  let installation: Installation | undefined;
  const ready = setUp(async () => {
    scratch = await createScratchDatabase();
    installation = await install({ DATABASE_URL: scratch.url });
    return installation;
  });

  after(async () => {
    await installation?.server.stop();
    if (scratch) await dropScratchDatabase(scratch.name);
  });

  test('register, confirm, log in, consent, tokens, userinfo, refresh, logout', async () => {
    await citizenJourney(ready());
  });

  describe('protocol errors answer 4xx with a readable message', () => {
    let citizen: { username: string; browser: Browser } | undefined;
    /** A logged-in browser that has consented already, so every authorization ends at the service. */
    const loggedIn = async (): Promise<{ browser: Browser; username: string }> => {
      if (citizen) return citizen;
      const browser = new Browser(ready().server.baseUrl);
      const { username } = await registerCitizen(browser);
      const request = await authorizationRequest(ready().config, service);
      await authorize(browser, request.url, { username, password });
      citizen = { browser, username };
      return citizen;
    };
    const codeFor = async () => {
      const { browser, username } = await loggedIn();
      const request = await authorizationRequest(ready().config, service);
      const { callback, pages } = await authorize(browser, request.url, { username, password });
      assert.deepEqual(pages, [], 'signed in and consented already');
      return { request, callback, code: callback.searchParams.get('code') ?? '' };
    };

    test('an unregistered redirect_uri gets an error page, no redirect', async () => {
      const { browser } = await loggedIn();
      const request = await authorizationRequest(ready().config, service, {
        redirect_uri: 'https://attacker.example/callback',
      });
      const response = await browser.request(request.url);
      const markup = await response.text();
      assert.equal(response.status, 400);
      assert.equal(response.headers.get('location'), null, 'never redirected to an unregistered address');
      assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
      const text = pageText(parsePage(markup));
      assert.ok(
        text.includes("redirect_uri did not match any of the client's registered redirect_uris"),
        `the page names the problem: ${text.slice(0, 400)}`,
      );
      assert.ok(text.includes('invalid_redirect_uri'), 'the page names the error code');
      assert.doesNotMatch(
        markup,
        /(href|action|src)="https?:\/\/attacker\.example/,
        'the page offers no link or form to the foreign address',
      );
    });

    test('a wrong code_verifier is invalid_grant', async () => {
      const { request, callback } = await codeFor();
      await rejectsWithOAuthError(
        client.authorizationCodeGrant(ready().config, callback, {
          pkceCodeVerifier: client.randomPKCECodeVerifier(),
          expectedState: request.state,
          expectedNonce: request.nonce,
        }),
        400,
        'invalid_grant',
      );
    });

    test('a missing code_verifier is invalid_grant', async () => {
      const { code } = await codeFor();
      const { status, body } = await tokenRequest(ready().config, service, {
        grant_type: 'authorization_code',
        code,
        redirect_uri: service.redirectUri,
      });
      assert.equal(status, 400);
      assert.equal(body.error, 'invalid_grant');
      assert.equal(typeof body.error_description, 'string');
    });

    test('a code used twice fails and revokes the tokens of its first use', async () => {
      const { config } = ready();
      const { request, callback } = await codeFor();
      const checks = {
        pkceCodeVerifier: request.codeVerifier,
        expectedState: request.state,
        expectedNonce: request.nonce,
        idTokenExpected: true,
      };
      const first = await client.authorizationCodeGrant(config, callback, checks);
      const sub = first.claims()?.sub ?? '';
      assert.ok((await client.fetchUserInfo(config, first.access_token, sub)).email, 'the first use works');
      await rejectsWithOAuthError(client.authorizationCodeGrant(config, callback, checks), 400, 'invalid_grant');
      await rejectsWithOAuthError(client.fetchUserInfo(config, first.access_token, sub), 401, 'invalid_token');
      if (first.refresh_token)
        await rejectsWithOAuthError(client.refreshTokenGrant(config, first.refresh_token), 400, 'invalid_grant');
    });
  });

  test('the server logged no errors', () => {
    assertNoServerErrors(ready().server);
  });
});

describe('OIDC end to end on PGlite', () => {
  let dataDir: string | undefined;
  let installation: Installation | undefined;
  const ready = setUp(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sk-e2e-pglite-'));
    installation = await install({ DATA_DIR: dataDir });
    return installation;
  });

  after(async () => {
    await installation?.server.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  test('register, confirm, log in, consent, tokens, userinfo, refresh, logout', async () => {
    await citizenJourney(ready());
  });

  test('the server logged no errors', () => {
    assertNoServerErrors(ready().server);
  });
});
