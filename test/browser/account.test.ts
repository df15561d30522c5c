import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { runCli, type RunningServer } from '../e2e/helpers/server.ts';
import { checkPage, launchChromium, newContext } from './harness.ts';
import { serviceOnPostgres, type ServiceOnPostgres } from './servers.ts';

/**
 * Issue 15, point 2: "Mein Konto" in sections. A citizen whose data a
 * clerk verified visits every section through its navigation (each page
 * axe-clean at desktop and phone width, no sideways scroll), sees the
 * phone they are also logged in on, and logs it out with "Überall sonst
 * abmelden".
 */
describe('Mein Konto in sections, in a real browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let postgres: ServiceOnPostgres | undefined;
  const citizen = { username: 'sina.sektion', email: 'sina@example.org', password: 'Drei Tauben auf dem Dach' };

  before(async () => {
    postgres = await serviceOnPostgres();
    const { env } = postgres;
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
        'Sina',
        '--family-name',
        'Sektion',
        '--birthdate',
        '1985-03-14',
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

  async function logIn(page: Page): Promise<void> {
    await page.goto(`${server.baseUrl}/login/password`);
    await page.getByLabel('Benutzername oder E-Mail-Adresse').fill(citizen.username);
    await page.getByLabel('Passwort', { exact: true }).fill(citizen.password);
    await page.getByRole('button', { name: 'Anmelden', exact: true }).click();
    await page.waitForURL(`${server.baseUrl}/account`);
  }

  test('every section through the navigation; the other device logged out from here', async () => {
    const phone = await newContext(browser);
    await logIn(phone.page);
    const { context, page } = await newContext(browser);
    await logIn(page);
    assert.match(await page.locator('main').innerText(), /Ihr Konto erreicht das Vertrauensniveau „niedrig“/);
    await checkPage(page, 'sk-account-overview-sections');

    const nav = page.getByRole('navigation', { name: 'Bereiche von „Mein Konto“' });
    const sections: [string, string, string][] = [
      ['Persönliche Daten', '/account/profile', 'sk-account-profile'],
      ['Anmeldung und Sicherheit', '/account/security', 'sk-account-security'],
      ['Geräte und Anmeldungen', '/account/sessions', 'sk-account-sessions'],
      ['Verbundene Dienste', '/account/services', 'sk-account-services'],
      ['Daten und Konto', '/account/data', 'sk-account-data'],
      ['Übersicht', '/account', 'sk-account-overview-sections'],
    ];
    for (const [name, path, shot] of sections) {
      await nav.getByRole('link', { name }).click();
      await page.waitForURL(`${server.baseUrl}${path}`);
      assert.equal(await nav.getByRole('link', { name }).getAttribute('aria-current'), 'page', `${name} is marked`);
      assert.equal(await nav.locator('[aria-current="page"]').count(), 1);
      await checkPage(page, shot);
    }

    // A form's error stays on its own section page.
    await nav.getByRole('link', { name: 'Daten und Konto' }).click();
    await page.getByLabel('Ihr Passwort, um das Konto zu löschen').fill('nicht mein Passwort');
    await page.getByRole('button', { name: 'Konto endgültig löschen' }).click();
    await page.waitForURL(`${server.baseUrl}/account/delete`);
    assert.match(await page.locator('h1').innerText(), /Daten und Konto/);
    await checkPage(page, 'sk-account-data-error');

    // The phone is listed; "Überall sonst abmelden" ends its session.
    await nav.getByRole('link', { name: 'Geräte und Anmeldungen' }).click();
    const main = page.locator('main');
    assert.equal(await main.locator('.kern-badge', { hasText: 'Dieses Gerät' }).count(), 1);
    assert.equal(
      await main.getByRole('button', { name: 'Abmelden', exact: true }).count(),
      1,
      'the phone, with its own button',
    );
    assert.match(await main.locator('table').innerText(), /Passwort/);
    await main.getByRole('button', { name: 'Überall sonst abmelden' }).click();
    await page.waitForURL(`${server.baseUrl}/account/sessions`);
    assert.match(await main.innerText(), /Alle anderen Geräte sind abgemeldet/);
    await checkPage(page, 'sk-account-sessions-alone');

    await phone.page.goto(`${server.baseUrl}/account/profile`);
    assert.match(phone.page.url(), /\/login\?return=/, 'the phone has to log in again');
    await phone.context.close();
    await context.close();
  });
});
