import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { testCards, testPin } from '../../src/dev/eid-simulator/cards.ts';
import { runCli, type RunningServer } from '../e2e/helpers/server.ts';
import { checkPage, launchChromium, newContext } from './harness.ts';
import { serviceOnPostgres, type ServiceOnPostgres } from './servers.ts';

/**
 * Issue 15, point 6 in a real browser: a service asks for a level the
 * account cannot reach (typed-in data only). The citizen sees why, here, and
 * the ways there; one journey goes back to the service, the other links the
 * online ID (the built-in eID simulator) and finishes the waiting login.
 * Every page passes the axe checks at desktop and phone width (checkPage).
 */
describe('a level the account cannot reach, in a real browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let postgres: ServiceOnPostgres | undefined;
  const password = 'Zwei Katzen schlafen auf dem Sofa';
  const client = { id: 'tax-office', redirectUri: 'https://service.example/callback' };
  const cards = testCards(new Date());

  before(async () => {
    postgres = await serviceOnPostgres();
    const { env } = postgres;
    const secret = `--secret=${randomBytes(32).toString('base64url')}`;
    await runCli(
      [
        'client',
        'add',
        '--id',
        client.id,
        secret,
        '--redirect-uri',
        client.redirectUri,
        '--name',
        'Gewerbesteuer Online',
      ],
      env,
    );
    for (const username of ['erika.back', 'erika.card'])
      await runCli(
        [
          'user',
          'create',
          '--username',
          username,
          '--email',
          `${username}@example.org`,
          '--password',
          password,
          '--verified',
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

  /** The service asks for hoch; the citizen logs in with the password and lands on the level page. */
  async function loginAskingForHigh(page: Page, username: string): Promise<void> {
    await page.route('https://service.example/**', (route) =>
      route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>Dienst</title>' }),
    );
    const query = new URLSearchParams({
      client_id: client.id,
      redirect_uri: client.redirectUri,
      response_type: 'code',
      scope: 'openid profile',
      state: 'st',
      acr_values: 'http://eidas.europa.eu/LoA/high',
      code_challenge: createHash('sha256').update(randomBytes(32).toString('base64url')).digest('base64url'),
      code_challenge_method: 'S256',
    });
    await page.goto(`${server.baseUrl}/oidc/auth?${query}`);
    await page.getByRole('link', { name: 'Mit Benutzername und Passwort' }).click();
    await page.getByLabel('Benutzername oder E-Mail-Adresse').fill(username);
    await page.getByLabel('Passwort', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Anmelden', exact: true }).click();
    await page.waitForURL(/\/interaction\/[^/]+\/level$/);
  }

  test('the page explains the gap; "Zurück zum Dienst" answers unmet_authentication_requirements', async () => {
    const { context, page } = await newContext(browser);
    await loginAskingForHigh(page, 'erika.back');
    await checkPage(page, 'sk-level-unmet');
    const text = await page.locator('main').innerText();
    assert.match(text, /„Gewerbesteuer Online“ braucht eine Anmeldung auf dem Vertrauensniveau „hoch“/);
    assert.match(text, /selbst eingetragen/);
    assert.ok(await page.getByRole('link', { name: 'Online-Ausweis mit dem Konto verbinden' }).isVisible());
    await page.getByRole('button', { name: 'Zurück zum Dienst' }).click();
    await page.waitForURL(/^https:\/\/service\.example\/callback/);
    const callback = new URL(page.url());
    assert.equal(callback.searchParams.get('error'), 'unmet_authentication_requirements');
    assert.equal(callback.searchParams.get('code'), null);
    await context.close();
  });

  test('linking the online ID from the page, then on to the waiting login and the consent', async () => {
    const { context, page } = await newContext(browser);
    await loginAskingForHigh(page, 'erika.card');
    await page.getByRole('link', { name: 'Online-Ausweis mit dem Konto verbinden' }).click();
    await page.waitForURL(`${server.baseUrl}/account/eid`);
    await page.getByRole('link', { name: 'Ausweis jetzt auslesen' }).click();
    await page.waitForURL((url) => url.pathname === '/dev/eid-client/eID-Client');
    await page.getByRole('radio', { name: cards.erika.label, exact: true }).check();
    await page.getByLabel('PIN (6 Ziffern)').fill(testPin);
    await page.getByRole('button', { name: 'Ausweisen' }).click();
    await page.waitForURL((url) => url.pathname !== '/dev/eid-client/eID-Client');
    await page.getByRole('button', { name: 'Daten übernehmen und Ausweis verbinden' }).click();
    await page.getByRole('link', { name: 'Weiter zur Anmeldung beim Dienst' }).waitFor();
    await checkPage(page, 'sk-level-eid-linked');
    await page.getByRole('link', { name: 'Weiter zur Anmeldung beim Dienst' }).click();
    await page.getByRole('button', { name: 'Zustimmen und weiter' }).click();
    await page.waitForURL(/^https:\/\/service\.example\/callback/);
    assert.ok(new URL(page.url()).searchParams.get('code'), 'the service gets its code');
    await context.close();
  });
});
