import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { runCli, type RunningServer } from '../e2e/helpers/server.ts';
import { checkPage, launchChromium, newContext } from './harness.ts';
import { serviceOnPostgres, type ServiceOnPostgres } from './servers.ts';

/**
 * A citizen whose data a clerk verified registers a passkey on "Mein Konto"
 * and steps up with it from level 2 to level 3 when a service asks for
 * substanziell. Chromium's virtual authenticator (DevTools WebAuthn domain)
 * plays the security key.
 */
describe('passkey step-up in a real browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let postgres: ServiceOnPostgres | undefined;
  const citizen = {
    username: 'paula.passkey',
    email: 'paula@example.org',
    password: 'Zwei Katzen schlafen auf dem Sofa',
  };
  const client = {
    id: 'tax-office',
    secret: randomBytes(32).toString('base64url'),
    redirectUri: 'https://service.example/callback',
  };

  before(async () => {
    postgres = await serviceOnPostgres();
    const { env } = postgres;
    await runCli(
      [
        'client',
        'add',
        '--id',
        client.id,
        `--secret=${client.secret}`,
        '--redirect-uri',
        client.redirectUri,
        '--name',
        'Gewerbesteuer Online',
      ],
      env,
    );
    await runCli(
      [
        'user',
        'create',
        '--username',
        citizen.username,
        '--email',
        citizen.email,
        '--password',
        citizen.password,
        '--verified',
      ],
      env,
    );
    await runCli(
      [
        'user',
        'verify',
        '--username',
        citizen.username,
        '--given-name',
        'Paula',
        '--family-name',
        'Passkey',
        '--birthdate',
        '1980-04-23',
        '--document',
        'idcard',
        '--clerk',
        'Meier',
        '--office',
        'Bürgerbüro',
      ],
      env,
    );
    server = await postgres.start();
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    await postgres?.drop();
  });

  test('register a passkey, then step up with it: acr substanziell, amr hwk', async () => {
    const { context, page } = await newContext(browser);
    const cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'usb',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });
    // The service's callback is not on this machine: answer it in the browser and keep the URL.
    await page.route('https://service.example/**', (route) =>
      route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>Dienst</title>' }),
    );

    await page.goto(`${server.baseUrl}/login/password`);
    await page.getByLabel('Benutzername oder E-Mail-Adresse').fill(citizen.username);
    await page.getByLabel('Passwort', { exact: true }).fill(citizen.password);
    await page.getByRole('button', { name: 'Anmelden', exact: true }).click();
    await page.waitForURL(`${server.baseUrl}/account`);
    await page.goto(`${server.baseUrl}/account/security`);
    await checkPage(page, 'sk-account-passkey');
    await page.getByLabel('Name für diesen Schlüssel').fill('Mein Passkey');
    await page.getByRole('button', { name: 'Sicherheitsschlüssel oder Passkey hinzufügen' }).click();
    // Back on the same section page (post/redirect/get): the notice says it is done.
    await page.getByText('Der Schlüssel „Mein Passkey“ ist hinzugefügt').waitFor();
    assert.equal(page.url(), `${server.baseUrl}/account/security`);
    assert.match(await page.locator('main').innerText(), /Der Schlüssel „Mein Passkey“ ist hinzugefügt/);

    // A new login with the password asks for the passkey at once (issue 13, point 2); without it the session
    // stays at level 2 and "Mein Konto" shows only the overview …
    await page.getByRole('button', { name: 'Abmelden' }).click();
    await page.goto(`${server.baseUrl}/login/password`);
    await page.getByLabel('Benutzername oder E-Mail-Adresse').fill(citizen.username);
    await page.getByLabel('Passwort', { exact: true }).fill(citizen.password);
    await page.getByRole('button', { name: 'Anmelden', exact: true }).click();
    await page.waitForURL(`${server.baseUrl}/account/confirm/webauthn`);
    await page.getByRole('link', { name: 'Abbrechen' }).click();
    await page.waitForURL(`${server.baseUrl}/account`);
    assert.match(await page.locator('main').innerText(), /Bitte bestätigen Sie Ihre Anmeldung/);
    await checkPage(page, 'sk-account-overview');

    // … and a service asking for substanziell gets the passkey asked for, nothing else.
    const verifier = randomBytes(32).toString('base64url');
    const query = new URLSearchParams({
      client_id: client.id,
      redirect_uri: client.redirectUri,
      response_type: 'code',
      scope: 'openid profile',
      state: 'st',
      acr_values: 'http://eidas.europa.eu/LoA/substantial',
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    });
    await page.goto(`${server.baseUrl}/oidc/auth?${query}`);
    await page.waitForURL(/\/webauthn$/);
    await checkPage(page, 'sk-step-up-passkey');
    await page.getByRole('button', { name: 'Mit Sicherheitsschlüssel oder Passkey bestätigen' }).click();
    // The consent page once the passkey's answer has been posted, not a button of the page being left (a loaded
    // machine was seen to click too early).
    await page.waitForURL((url) => !url.pathname.endsWith('/webauthn'));
    await page.getByRole('button', { name: 'Zustimmen und weiter' }).click();
    await page.waitForURL(/^https:\/\/service\.example\/callback/);
    const code = new URL(page.url()).searchParams.get('code') ?? '';

    const tokens = await fetch(`${server.baseUrl}/oidc/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString('base64')}`,
      },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: client.redirectUri,
        code_verifier: verifier,
      }),
    });
    assert.equal(tokens.status, 200);
    const { id_token } = (await tokens.json()) as { id_token: string };
    const claims = JSON.parse(Buffer.from(id_token.split('.')[1] ?? '', 'base64url').toString()) as {
      acr: string;
      amr: string[];
    };
    assert.equal(claims.acr, 'http://eidas.europa.eu/LoA/substantial');
    assert.deepEqual(claims.amr, ['pwd', 'hwk', 'mfa']);

    // The key is listed with its name and can be removed with the password.
    await page.goto(`${server.baseUrl}/account/security`);
    await checkPage(page, 'sk-account-with-passkey');
    const card = page.locator('li.kern-card', { hasText: 'Mein Passkey' });
    await card.getByLabel('Ihr Passwort, um „Mein Passkey“ zu entfernen').fill(citizen.password);
    await card.getByRole('button', { name: 'Entfernen', exact: true }).click();
    await page.getByText('Das Anmeldemittel ist entfernt').waitFor();
    assert.match(await page.locator('main').innerText(), /Das Anmeldemittel ist entfernt/);
    assert.equal(await page.locator('li.kern-card', { hasText: 'Mein Passkey' }).count(), 0);
    await context.close();
  });
  test('log in to a service with only a passkey (issue 15, point 8): acr substanziell, amr hwk mfa', async () => {
    const { context, page } = await newContext(browser);
    const cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });
    await page.route('https://service.example/**', (route) =>
      route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>Dienst</title>' }),
    );

    // The password page offers the passkey once the script runs (and nothing of it without one).
    await page.goto(`${server.baseUrl}/login/password`);
    await page.getByRole('button', { name: 'Mit Passkey anmelden' }).waitFor();
    assert.equal(
      await page.getByLabel('Benutzername oder E-Mail-Adresse').getAttribute('autocomplete'),
      'username webauthn',
    );
    await checkPage(page, 'sk-login-password-with-passkey');
    await page.getByLabel('Benutzername oder E-Mail-Adresse').fill(citizen.username);
    await page.getByLabel('Passwort', { exact: true }).fill(citizen.password);
    await page.getByRole('button', { name: 'Anmelden', exact: true }).click();
    await page.waitForURL(/\/account(\/confirm\/webauthn)?$/);
    if (page.url().endsWith('/confirm/webauthn')) {
      await page.getByRole('button', { name: 'Mit Sicherheitsschlüssel oder Passkey bestätigen' }).click();
      await page.waitForURL(`${server.baseUrl}/account`);
    }
    await page.goto(`${server.baseUrl}/account/security`);
    await page.getByLabel('Name für diesen Schlüssel').fill('Telefon');
    await page.getByRole('button', { name: 'Sicherheitsschlüssel oder Passkey hinzufügen' }).click();
    await page.getByText('Der Schlüssel „Telefon“ ist hinzugefügt').waitFor();
    assert.equal(page.url(), `${server.baseUrl}/account/security`);
    // Registration made a discoverable credential (resident on the authenticator): it can log in alone.
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    assert.equal(credentials.length, 1);
    assert.equal(credentials[0]?.isResidentCredential, true);
    await page.getByRole('button', { name: 'Abmelden' }).click();

    const verifier = randomBytes(32).toString('base64url');
    const query = new URLSearchParams({
      client_id: client.id,
      redirect_uri: client.redirectUri,
      response_type: 'code',
      // The e-mail address too: a release not consented to before, so the consent page follows the passkey.
      scope: 'openid profile email',
      state: 'pk',
      acr_values: 'http://eidas.europa.eu/LoA/substantial',
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    });
    await page.goto(`${server.baseUrl}/oidc/auth?${query}`);
    await page.getByRole('link', { name: 'Mit Passkey anmelden' }).click();
    await page.waitForURL(/\/interaction\/[^/]+\/passkey$/);
    await checkPage(page, 'sk-login-passkey');
    await page.getByRole('button', { name: 'Mit Passkey anmelden' }).click();
    await page.waitForURL(/\/interaction\/[^/]+$/);
    await checkPage(page, 'sk-consent-after-passkey');
    await page.getByRole('button', { name: 'Zustimmen und weiter' }).click();
    await page.waitForURL(/^https:\/\/service\.example\/callback/);
    const code = new URL(page.url()).searchParams.get('code') ?? '';
    const tokens = await fetch(`${server.baseUrl}/oidc/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString('base64')}`,
      },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: client.redirectUri,
        code_verifier: verifier,
      }),
    });
    assert.equal(tokens.status, 200);
    const { id_token } = (await tokens.json()) as { id_token: string };
    const claims = JSON.parse(Buffer.from(id_token.split('.')[1] ?? '', 'base64url').toString()) as {
      acr: string;
      amr: string[];
    };
    assert.equal(claims.acr, 'http://eidas.europa.eu/LoA/substantial');
    assert.deepEqual(claims.amr, ['hwk', 'mfa']);
    await context.close();
  });
});
