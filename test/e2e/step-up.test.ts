/**
 * Step-up end to end (issue 4): what an online service gets back when it asks
 * for a trust level, proven with openid-client as the relying party against
 * the real server (`node src/main.ts` on a scratch PostgreSQL database), the
 * operator CLI for accounts and in-person verification, and fetch with a
 * cookie jar as the citizen's browser.
 *
 * The rule (README "Trust levels and step-up"; the code cites it as DESIGN.md §3): a
 * login reaches the level of the means used (password: low; password and
 * authenticator app: substantial), capped by the level of the identity data.
 * Proven here:
 *  1. `acr_values=…/substantial`, data checked by a clerk, password only: the
 *     citizen sets up the authenticator app in the same interaction (the first
 *     code confirms it), sees the recovery codes, consents, and the ID token
 *     says acr substantial with amr pwd, otp, mfa (RFC 8176).
 *  2. A second login in a fresh browser asks for a code of the enrolled app
 *     (a used code is refused: one code per time step, RFC 6238 §5.2) and
 *     yields the same.
 *  3. Self-typed data cannot reach substantial: a page of ours says why and
 *     how; its "Zurück zum Dienst" gives the service
 *     `unmet_authentication_requirements` (OIDC Core 1.0 errata 2, §3.1.2.6).
 *  4. Asking for low, or for nothing, a password login on clerk-checked data
 *     is acr low with amr pwd, and no second factor is asked for, unless the
 *     account has one: then it is asked all the same (issue 13, point 2),
 *     until the citizen lets the password do for low services.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { HTMLElement } from 'node-html-parser';
import * as client from 'openid-client';
import { generate } from 'otplib';
import { Browser, pageText, parsePage, readForm } from './helpers/browser.ts';
import { authorizationRequest, discover, registrationArgs, type ServiceRegistration } from './helpers/relying-party.ts';
import {
  childEnv,
  createScratchDatabase,
  dropScratchDatabase,
  freePort,
  runCli,
  startServer,
  type RunningServer,
} from './helpers/server.ts';
import { startSmtpSink } from './helpers/smtp-sink.ts';

/** The `acr` values a service sees (src/oidc/acr.ts); spelled out, since services depend on them. */
const acr = {
  low: 'http://eidas.europa.eu/LoA/low',
  substantial: 'http://eidas.europa.eu/LoA/substantial',
} as const;

/** RFC 6238 defaults, as the server uses them (src/methods/totp/index.ts): SHA-1, 6 digits, 30 s steps. */
const period = 30;

const service: ServiceRegistration = {
  clientId: 'step-up-service',
  clientSecret: randomBytes(32).toString('base64url'),
  redirectUri: 'https://service.example/callback',
  postLogoutRedirectUri: 'https://service.example/logged-out',
  name: 'Step-up-Testdienst',
};

interface Citizen {
  username: string;
  password: string;
}

/** Where the browser stands after following redirects: a page of the server, or the way back to the service. */
type Hop = Awaited<ReturnType<Browser['visit']>>;

// ---------------------------------------------------------------------------
// The citizen's browser, page by page.
// ---------------------------------------------------------------------------

/** Asserts the browser shows a 200 page at `path` (`:uid` stands for the interaction id); returns it and the uid. */
async function arrivedAt(hop: Hop, path: string): Promise<{ page: HTMLElement; uid: string }> {
  assert.equal(
    hop.leftTo,
    undefined,
    `expected the page ${path}, but the browser was sent back to the service: ${hop.leftTo?.href}`,
  );
  const markup = await hop.response.text();
  assert.equal(
    hop.response.status,
    200,
    `${hop.url.pathname} answered ${hop.response.status}: ${pageText(parsePage(markup)).slice(0, 400)}`,
  );
  const match = new RegExp(`^${path.replace(':uid', '([^/]+)')}$`).exec(hop.url.pathname);
  assert.ok(match, `expected the page ${path}, got ${hop.url.pathname}`);
  return { page: parsePage(markup), uid: match[1] ?? '' };
}

/**
 * Submits the page's form for `action` (its hidden fields, the CSRF token among them, plus `values`) and follows the
 * redirects.
 */
async function submit(
  browser: Browser,
  page: HTMLElement,
  action: string,
  values: Record<string, string> = {},
): Promise<Hop> {
  const form = readForm(page, `form[action="${action}"]`);
  assert.ok(form.fields._csrf, `the form ${action} carries a CSRF token`);
  const response = await browser.post(action, { ...form.fields, ...values });
  return browser.follow(response, action);
}

/** From the authorization request through the method choice ("username and password") to the submitted password. */
async function logInWithPassword(
  browser: Browser,
  authorizationUrl: URL,
  citizen: Citizen,
): Promise<{ uid: string; next: Hop }> {
  const choice = await arrivedAt(await browser.visit(authorizationUrl), '/interaction/:uid');
  const passwordLink = `/interaction/${choice.uid}/password`;
  assert.ok(choice.page.querySelector(`a[href="${passwordLink}"]`), 'the method choice offers username and password');
  const login = await arrivedAt(await browser.visit(passwordLink), '/interaction/:uid/password');
  return {
    uid: login.uid,
    next: await submit(browser, login.page, passwordLink, { username: citizen.username, password: citizen.password }),
  };
}

/** Consent when asked (a remembered one is not asked again); returns the redirect back to the service, not visited. */
async function backAtService(browser: Browser, hop: Hop): Promise<{ callback: URL; consentAsked: boolean }> {
  if (hop.leftTo) return { callback: hop.leftTo, consentAsked: false };
  const consent = await arrivedAt(hop, '/interaction/:uid');
  const back = await submit(browser, consent.page, `/interaction/${consent.uid}/consent`);
  assert.ok(back.leftTo, `after the consent the browser goes back to the service, not to ${back.url.pathname}`);
  return { callback: back.leftTo, consentAsked: true };
}

// ---------------------------------------------------------------------------
// The authenticator app, computed in the test (the server uses otplib too).
// ---------------------------------------------------------------------------

const timeStepNow = (): number => Math.floor(Date.now() / 1000 / period);

/** The next time step after `last` the server accepts now (one step of skew), waiting for the clock where needed. */
async function nextStep(last: number): Promise<number> {
  const step = Math.max(last + 1, timeStepNow());
  while (timeStepNow() + 1 < step) await new Promise((resolve) => setTimeout(resolve, 1000));
  return step;
}

/** The code the app shows during time step `step`. */
function appCode(secret: string, step: number): Promise<string> {
  return generate({ secret, epoch: step * period });
}

/**
 * The set-up page in the interaction: reads the key shown as text (grouped
 * by four for typing), confirms it with the current code, then reads the
 * recovery codes shown once and continues with the login.
 */
async function setUpApp(
  browser: Browser,
  hop: Hop,
  uid: string,
): Promise<{ secret: string; step: number; recoveryCodes: string[]; next: Hop }> {
  const setup = await arrivedAt(hop, '/interaction/:uid/totp/setup');
  assert.equal(setup.uid, uid, 'the app is set up in the same interaction as the password login');
  const secret = (setup.page.querySelector('code.secret')?.text ?? '').replace(/\s+/g, '');
  assert.match(secret, /^[A-Z2-7]{16,}$/, 'the key is shown as base32 text for typing into the app');
  assert.ok(setup.page.querySelector('img.qr[src^="data:image/png;base64,"]'), 'and as a QR code');

  const step = timeStepNow();
  const confirmed = await submit(browser, setup.page, `/interaction/${uid}/totp/setup`, {
    code: await appCode(secret, step),
  });
  const codesPage = await arrivedAt(confirmed, '/interaction/:uid/totp/setup');
  const recoveryCodes = codesPage.page.querySelectorAll('ol.recovery-codes li code').map((code) => code.text.trim());
  const continueLink = `/interaction/${uid}/continue`;
  assert.ok(codesPage.page.querySelector(`a[href="${continueLink}"]`), 'the recovery codes page continues the login');
  return { secret, step, recoveryCodes, next: await browser.visit(continueLink) };
}

/**
 * A citizen's app set up on the spot in a login for substantial, as in test 1, which ends with the consent to the
 * service.
 */
async function appSetUpInLogin(
  server: RunningServer,
  config: client.Configuration,
  citizen: Citizen,
): Promise<{ secret: string; lastStep: number }> {
  const browser = new Browser(server.baseUrl);
  const request = await authorizationRequest(config, service, { acr_values: acr.substantial });
  const { uid, next } = await logInWithPassword(browser, request.url, citizen);
  const { secret, step, next: afterCodes } = await setUpApp(browser, next, uid);
  await backAtService(browser, afterCodes);
  return { secret, lastStep: step };
}

// ---------------------------------------------------------------------------
// The relying party.
// ---------------------------------------------------------------------------

/** The code exchange: openid-client checks state, nonce and PKCE, the ID token's signature, iss and aud. */
async function redeem(
  config: client.Configuration,
  request: Awaited<ReturnType<typeof authorizationRequest>>,
  callback: URL,
): Promise<client.IDToken> {
  const tokens = await client.authorizationCodeGrant(config, callback, {
    pkceCodeVerifier: request.codeVerifier,
    expectedState: request.state,
    expectedNonce: request.nonce,
    idTokenExpected: true,
  });
  const claims = tokens.claims();
  assert.ok(claims, 'an ID token came with the tokens');
  return claims;
}

/** RFC 8176 amr values are a set: the order carries no meaning, duplicates none. */
function assertAmr(claims: client.IDToken, expected: string[], message: string): void {
  const amr = claims.amr;
  assert.ok(
    Array.isArray(amr) && amr.every((value) => typeof value === 'string'),
    `amr is a list of strings: ${JSON.stringify(amr)}`,
  );
  assert.equal(new Set(amr).size, amr.length, `amr without duplicates: ${JSON.stringify(amr)}`);
  assert.deepEqual([...amr].sort(), [...expected].sort(), message);
}

/** The error response at the callback, as openid-client reports it to the service (OIDC Core §3.1.2.6). */
async function rejectsAtCallback(work: Promise<unknown>, error: string): Promise<void> {
  await assert.rejects(work, (thrown: unknown) => {
    assert.ok(
      thrown instanceof client.AuthorizationResponseError,
      `expected an error response at the callback, got ${String(thrown)}`,
    );
    assert.equal(thrown.error, error, `${thrown.error}: ${thrown.error_description ?? ''}`);
    assert.ok((thrown.error_description ?? '').length > 5, 'the error carries a readable description');
    return true;
  });
}

// ---------------------------------------------------------------------------
// The installation.
// ---------------------------------------------------------------------------

interface Installation {
  server: RunningServer;
  config: client.Configuration;
  /** Identity data checked by a clerk (level high), password only at first; gets the app in test 1. */
  erika: Citizen;
  /** Identity data checked by a clerk, password only throughout. */
  jonas: Citizen;
  /** Identity data typed in by the citizen in "Mein Konto" (level basis). */
  tim: Citizen;
  /**
   * Identity data checked by a clerk; each sets up an app of their own in
   * test 4, so that its codes need no wait for the clock (each time step
   * is accepted once per app, and erika's first steps are used by then).
   */
  mia: Citizen;
  noah: Citizen;
}

function newCitizen(name: string): Citizen {
  return { username: `${name}_${randomBytes(4).toString('hex')}`, password: `${name} hat ein langes Passwort 42` };
}

/** An account with a confirmed e-mail address, made by the operator CLI. */
function createAccount(citizen: Citizen, env: NodeJS.ProcessEnv): Promise<string> {
  return runCli(
    [
      'user',
      'create',
      '--username',
      citizen.username,
      '--email',
      `${citizen.username}@example.org`,
      '--password',
      citizen.password,
      '--verified',
    ],
    env,
  );
}

/** A clerk checked the citizen's ID card and records the data (README, CLI: `user verify`). */
function verifyInPerson(
  citizen: Citizen,
  env: NodeJS.ProcessEnv,
  data: { givenName: string; familyName: string; birthdate: string },
): Promise<string> {
  return runCli(
    [
      'user',
      'verify',
      '--username',
      citizen.username,
      '--given-name',
      data.givenName,
      '--family-name',
      data.familyName,
      '--birthdate',
      data.birthdate,
      '--document',
      'idcard',
      '--clerk',
      'Frau Schmidt',
      '--office',
      'Bürgeramt Mitte',
    ],
    env,
  );
}

/** The citizen types names and birth date into "Mein Konto" (stand-alone login, then the profile form). */
async function typeInIdentityData(baseUrl: string, citizen: Citizen): Promise<void> {
  const browser = new Browser(baseUrl);
  const login = await arrivedAt(await browser.visit('/login/password'), '/login/password');
  await arrivedAt(
    await submit(browser, login.page, '/login/password', { username: citizen.username, password: citizen.password }),
    '/account',
  );
  const profile = await arrivedAt(await browser.visit('/account/profile'), '/account/profile');
  const saved = await arrivedAt(
    await submit(browser, profile.page, '/account/profile', {
      given_name: 'Tim',
      family_name: 'Tippel',
      birthdate: '1990-02-03',
    }),
    '/account/profile',
  );
  const form = readForm(saved.page, 'form[action="/account/profile"]');
  assert.equal(form.fields.family_name, 'Tippel', 'the typed-in data were saved');
}

/** No request of the run was answered with a 5xx (those are logged at level error). */
function assertNoServerErrors(server: RunningServer): void {
  const errors = server
    .output()
    .split('\n')
    .filter((line) => /"level":(50|60)/.test(line) || /failed to start|Error:/.test(line));
  assert.deepEqual(errors, [], `the server logged errors:\n${errors.join('\n')}`);
}

describe('step-up to substantial, end to end on PostgreSQL', () => {
  let smtp: Awaited<ReturnType<typeof startSmtpSink>> | undefined;
  let scratch: { name: string; url: string } | undefined;
  let installation: Installation | undefined;
  // A failing before hook only cancels the tests without saying why: keep the failure, every test throws it.
  let failure: unknown;

  before(async () => {
    try {
      smtp = await startSmtpSink();
      scratch = await createScratchDatabase();
      const port = await freePort();
      const env = childEnv({
        DATABASE_URL: scratch.url,
        PORT: String(port),
        HOST: '127.0.0.1',
        PUBLIC_URL: `http://localhost:${port}`,
        LOG_LEVEL: 'warn',
        START_EXAMPLE: 'false',
        SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
      });
      await runCli(registrationArgs(service), env);
      const [erika, jonas, tim, mia, noah] = [
        newCitizen('erika'),
        newCitizen('jonas'),
        newCitizen('tim'),
        newCitizen('mia'),
        newCitizen('noah'),
      ];
      await Promise.all([erika, jonas, tim, mia, noah].map((citizen) => createAccount(citizen, env)));
      await Promise.all([
        verifyInPerson(erika, env, { givenName: 'Erika', familyName: 'Mustermann', birthdate: '1964-08-12' }),
        verifyInPerson(jonas, env, { givenName: 'Jonas', familyName: 'Beispiel', birthdate: '1988-11-30' }),
        verifyInPerson(mia, env, { givenName: 'Mia', familyName: 'Muster', birthdate: '1975-04-01' }),
        verifyInPerson(noah, env, { givenName: 'Noah', familyName: 'Probe', birthdate: '2001-09-17' }),
      ]);
      const server = await startServer(env, port);
      await typeInIdentityData(server.baseUrl, tim);
      installation = { server, config: await discover(server.baseUrl, service), erika, jonas, tim, mia, noah };
    } catch (error) {
      failure = error;
    }
  });

  after(async () => {
    await installation?.server.stop();
    if (scratch) await dropScratchDatabase(scratch.name);
    await smtp?.close();
  });

  const ready = (): Installation => {
    if (failure !== undefined) throw failure;
    assert.ok(installation, 'the set-up did not run');
    return installation;
  };

  /** Erika's app key and the last time step a code of it was used (the server accepts each step once). */
  let erikasApp: { secret: string; lastStep: number } | undefined;

  test('1. substantial, clerk-checked data, password only: the app is set up on the spot, then pwd + otp + mfa', async () => {
    const { server, config, erika } = ready();
    const browser = new Browser(server.baseUrl);
    const request = await authorizationRequest(config, service, { acr_values: acr.substantial });

    // Password: level low, below substantial; the account can reach it, it has no second factor yet.
    const { uid, next } = await logInWithPassword(browser, request.url, erika);
    const { secret, step, recoveryCodes, next: afterCodes } = await setUpApp(browser, next, uid);
    erikasApp = { secret, lastStep: step };
    assert.equal(recoveryCodes.length, 10, 'ten recovery codes are shown (README, Security)');
    assert.equal(new Set(recoveryCodes).size, 10, 'all different');

    const { callback, consentAsked } = await backAtService(browser, afterCodes);
    assert.ok(consentAsked, 'the first login at the service asks for consent');
    assert.equal(`${callback.origin}${callback.pathname}`, service.redirectUri);
    const claims = await redeem(config, request, callback);
    assert.equal(claims.acr, acr.substantial, 'password and app on clerk-checked data reach substantial');
    assertAmr(claims, ['pwd', 'otp', 'mfa'], 'RFC 8176: password, one-time password, multiple factors');
    assert.equal(typeof claims.auth_time, 'number');
  });

  test('2. substantial again in a fresh browser: password, then a code of the enrolled app', async () => {
    const { server, config, erika } = ready();
    assert.ok(erikasApp, 'test 1 set up the app');
    const browser = new Browser(server.baseUrl);
    const request = await authorizationRequest(config, service, { acr_values: acr.substantial });

    const { uid, next } = await logInWithPassword(browser, request.url, erika);
    const asked = await arrivedAt(next, '/interaction/:uid/totp');
    assert.equal(asked.uid, uid, 'the code is asked in the same interaction');
    const action = `/interaction/${uid}/totp`;

    // The code that confirmed the set-up is used: refused (RFC 6238 §5.2, each code once).
    const replayed = await submit(browser, asked.page, action, {
      code: await appCode(erikasApp.secret, erikasApp.lastStep),
    });
    assert.equal(replayed.response.status, 400, 'a code is accepted once only');
    const retry = parsePage(await replayed.response.text());

    // A code of a later time step: the next one if the clock has not moved on yet (the server allows one step of skew).
    const step = Math.max(erikasApp.lastStep + 1, timeStepNow());
    const accepted = await submit(browser, retry, action, { code: await appCode(erikasApp.secret, step) });
    erikasApp.lastStep = step;

    const { callback, consentAsked } = await backAtService(browser, accepted);
    assert.equal(consentAsked, false, 'the consent of test 1 is remembered');
    const claims = await redeem(config, request, callback);
    assert.equal(claims.acr, acr.substantial);
    assertAmr(claims, ['pwd', 'otp', 'mfa'], 'RFC 8176: password, one-time password, multiple factors');
  });

  test('3. substantial for self-typed data: unmet_authentication_requirements at the callback', async () => {
    const { server, config, tim } = ready();
    const browser = new Browser(server.baseUrl);
    const request = await authorizationRequest(config, service, { acr_values: acr.substantial });

    // No app set-up is offered: no means could lift typed-in data above basis. A page here says so and
    // offers the ways there (issue 15, point 6); "Zurück zum Dienst" answers as before.
    const { next } = await logInWithPassword(browser, request.url, tim);
    const explained = await arrivedAt(next, '/interaction/:uid/level');
    assert.match(
      pageText(explained.page),
      /„Step-up-Testdienst“ braucht eine Anmeldung auf dem Vertrauensniveau „substanziell“/,
    );
    assert.ok(!explained.page.querySelector('a[href$="/totp/setup"]'), 'no app set-up: it would not help');
    const back = await submit(browser, explained.page, `/interaction/${explained.uid}/level`);
    assert.ok(back.leftTo, `"Zurück zum Dienst" goes back to the service, not to ${back.url.pathname}`);
    assert.equal(`${back.leftTo.origin}${back.leftTo.pathname}`, service.redirectUri);
    assert.equal(back.leftTo.searchParams.get('code'), null, 'no code is issued');
    await rejectsAtCallback(
      client.authorizationCodeGrant(config, back.leftTo, {
        pkceCodeVerifier: request.codeVerifier,
        expectedState: request.state,
        expectedNonce: request.nonce,
      }),
      'unmet_authentication_requirements',
    );
  });

  for (const [label, extra] of [
    ['acr_values=low', { acr_values: acr.low }],
    ['no acr_values', {}],
  ] as const) {
    test(`4. ${label}, clerk-checked data, password only: acr low, amr pwd`, async () => {
      const { server, config, jonas } = ready();
      const browser = new Browser(server.baseUrl);
      const request = await authorizationRequest(config, service, extra);
      const { next } = await logInWithPassword(browser, request.url, jonas);
      const { callback } = await backAtService(browser, next);
      const claims = await redeem(config, request, callback);
      assert.equal(claims.acr, acr.low, 'a password on clerk-checked data is low: the means caps the level');
      assertAmr(claims, ['pwd'], 'RFC 8176: the password alone');
    });
  }

  test('4. acr_values=low for a citizen with an app: the app is asked all the same (issue 13, point 2), acr substantial, amr pwd otp mfa', async () => {
    const { server, config, mia } = ready();
    const miasApp = await appSetUpInLogin(server, config, mia);
    const browser = new Browser(server.baseUrl);
    const request = await authorizationRequest(config, service, { acr_values: acr.low });
    const { uid, next } = await logInWithPassword(browser, request.url, mia);
    const asked = await arrivedAt(next, '/interaction/:uid/totp');
    assert.equal(asked.uid, uid, 'the second factor of the account is asked, though the service needs only low');
    const step = await nextStep(miasApp.lastStep);
    const accepted = await submit(browser, asked.page, `/interaction/${uid}/totp`, {
      code: await appCode(miasApp.secret, step),
    });
    const { callback } = await backAtService(browser, accepted);
    const claims = await redeem(config, request, callback);
    assert.equal(claims.acr, acr.substantial, 'the session is what it is: password and app');
    assertAmr(claims, ['pwd', 'otp', 'mfa'], 'RFC 8176: password, one-time password, multiple factors');
  });

  test('4. acr_values=low for a citizen with an app who lets the password do for low: only the password is asked, acr low, amr pwd', async () => {
    const { server, config, noah } = ready();
    const noahsApp = await appSetUpInLogin(server, config, noah);
    // Mein Konto: the login there asks for the app, then the citizen chooses the password alone for low services.
    const own = new Browser(server.baseUrl);
    const login = await arrivedAt(await own.visit('/login/password'), '/login/password');
    const confirm = await arrivedAt(
      await submit(own, login.page, '/login/password', { username: noah.username, password: noah.password }),
      '/account/confirm/totp',
    );
    const step = await nextStep(noahsApp.lastStep);
    await arrivedAt(
      await submit(own, confirm.page, '/account/confirm/totp', { code: await appCode(noahsApp.secret, step) }),
      '/account',
    );
    const security = await arrivedAt(await own.visit('/account/security'), '/account/security');
    await arrivedAt(
      await submit(own, security.page, '/account/second-factor-login', { password_enough: 'yes' }),
      '/account/security',
    );

    const browser = new Browser(server.baseUrl);
    const request = await authorizationRequest(config, service, { acr_values: acr.low });
    const { next } = await logInWithPassword(browser, request.url, noah);
    assert.ok(next.leftTo, `the level is reached with the password: no code is asked (${next.url.pathname})`);
    const claims = await redeem(config, request, next.leftTo);
    assert.equal(claims.acr, acr.low);
    assertAmr(claims, ['pwd'], 'RFC 8176: the password alone');

    // substantial still asks for the app.
    const strong = new Browser(server.baseUrl);
    const { next: stepUp } = await logInWithPassword(
      strong,
      (await authorizationRequest(config, service, { acr_values: acr.substantial })).url,
      noah,
    );
    await arrivedAt(stepUp, '/interaction/:uid/totp');
  });

  test('the server logged no errors', () => {
    assertNoServerErrors(ready().server);
  });
});
