import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { checkPage, launchChromium, newContext } from './harness.ts';
import { startWithExample, type ServiceWithExample } from './servers.ts';

const password = 'Sommer am See mit Freunden';

/**
 * Registration as people really do it (issue 15, point 1): they reload the
 * "check your mail" page, their mail provider's scanner opens the link
 * first, they open the mail on the phone after registering on the desktop,
 * and they open the link again days later.
 */
describe('registration that survives real mail habits', () => {
  let server: ServiceWithExample;
  let browser: Browser;
  let base: string;
  let example: string;

  before(async () => {
    server = await startWithExample('browser-reg');
    ({ base, example } = server);
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** The confirmation link of the newest mail to `to`, read off the development outbox. */
  async function confirmationLink(to: string): Promise<string> {
    for (let i = 0; i < 50; i++) {
      const outbox = await (await fetch(`${base}/dev/mail`)).text();
      const card = outbox.split('<article').find((part) => part.includes(to) && part.includes('/verify-email?token='));
      const link = card ? /href="([^"]*\/verify-email\?token=[^"]+)"/.exec(card)?.[1] : undefined;
      if (link) return link.replaceAll('&amp;', '&');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`no confirmation mail to ${to}`);
  }

  /** From the example service's start to the registration form, on the desktop. */
  async function registerFromService(page: Page, username: string, email: string): Promise<void> {
    await page.goto(example);
    await page.getByRole('link', { name: 'Anmelden mit Servicekonto' }).click();
    await page.waitForURL(/\/interaction\//);
    await page.getByRole('link', { name: 'Jetzt registrieren' }).click();
    await page.getByLabel('Benutzername', { exact: true }).fill(username);
    await page.getByLabel('E-Mail-Adresse').fill(email);
    await page.getByLabel('Passwort', { exact: true }).fill(password);
    await page.getByLabel('Passwort wiederholen').fill(password);
  }

  test('the terms must be ticked; the "check your mail" page survives a reload; scanner, phone and a second look all end well', async () => {
    const desktop = await newContext(browser);
    await registerFromService(desktop.page, 'lisa.lang', 'lisa.lang@example.org');

    // Without the tick: the error names the terms, beside the box, and the form keeps what was typed.
    await desktop.page.getByRole('button', { name: 'Konto anlegen' }).click();
    await checkPage(desktop.page, 'sk-register-terms-missing');
    const summary = desktop.page.getByRole('alert');
    assert.match(await summary.innerText(), /Bitte akzeptieren Sie die Nutzungsbedingungen/);
    assert.equal(await desktop.page.getByLabel('Benutzername', { exact: true }).inputValue(), 'lisa.lang');
    assert.equal(
      await desktop.page
        .getByRole('link', { name: /Nutzungsbedingungen/ })
        .last()
        .getAttribute('href'),
      '/nutzungsbedingungen',
    );
    await desktop.page.getByLabel('Passwort', { exact: true }).fill(password);
    await desktop.page.getByLabel('Passwort wiederholen').fill(password);
    await desktop.page.getByLabel('Ich akzeptiere die Nutzungsbedingungen').check();
    await desktop.page.getByRole('button', { name: 'Konto anlegen' }).click();
    await desktop.page.waitForURL(`${base}/register/sent`);
    await checkPage(desktop.page, 'sk-register-sent-after-redirect');

    // A reload shows the same page: no second registration, no "Benutzername schon vergeben".
    await desktop.page.reload();
    await checkPage(desktop.page, 'sk-register-sent-reloaded');
    const reloaded = await desktop.page.locator('main').innerText();
    assert.match(reloaded, /Wir haben eine E-Mail an lisa\.lang@example\.org geschickt/);
    assert.doesNotMatch(reloaded, /schon vergeben/);

    // The mail provider's scanner fetches the link first, twice: that confirms nothing.
    const link = await confirmationLink('lisa.lang@example.org');
    for (let i = 0; i < 2; i++) assert.equal((await fetch(link)).status, 200);

    // The citizen opens the mail on the phone: a browser that never saw the site.
    const phone = await newContext(browser);
    await phone.page.goto(link);
    await checkPage(phone.page, 'sk-email-confirm-phone');
    assert.match(await phone.page.locator('main').innerText(), /lisa\.lang/);
    await phone.page.getByRole('button', { name: 'Konto bestätigen' }).click();
    // The service's login waits only in the desktop's browser: the phone lands on the login with the message.
    await phone.page.waitForURL(`${base}/login`);
    await checkPage(phone.page, 'sk-login-account-active');
    const loginText = await phone.page.locator('main').innerText();
    assert.match(loginText, /Ihr Konto ist aktiv\. Melden Sie sich jetzt an\./);
    assert.doesNotMatch(loginText, /zu lange gedauert|abgelaufen|Fehler/);
    await phone.page.getByRole('link', { name: 'Mit Benutzername und Passwort' }).click();
    await phone.page.getByLabel('Benutzername oder E-Mail-Adresse').fill('lisa.lang');
    await phone.page.getByLabel('Passwort', { exact: true }).fill(password);
    await phone.page.getByRole('button', { name: 'Anmelden', exact: true }).click();
    await phone.page.waitForURL(`${base}/account`);

    // Opening the link again, days later on the desktop: the account is active, with the way to log in.
    await desktop.page.goto(link);
    await checkPage(desktop.page, 'sk-email-already-active');
    assert.match(await desktop.page.locator('main').innerText(), /Ihr Konto ist schon aktiv/);
    assert.equal(await desktop.page.getByRole('button', { name: 'Konto bestätigen' }).count(), 0);
    // The desktop's login at the service still waits: "Jetzt anmelden" continues it.
    await desktop.page.getByRole('link', { name: 'Jetzt anmelden' }).click();
    await desktop.page.waitForURL(/\/interaction\/[^/]+$/);
    await desktop.page.getByRole('link', { name: 'Mit Benutzername und Passwort' }).click();
    await desktop.page.getByLabel('Benutzername oder E-Mail-Adresse').fill('lisa.lang');
    await desktop.page.getByLabel('Passwort', { exact: true }).fill(password);
    await desktop.page.getByRole('button', { name: 'Anmelden', exact: true }).click();
    await desktop.page.getByRole('button', { name: 'Zustimmen und weiter' }).click();
    await desktop.page.waitForURL(`${example}/uebersicht`);
    assert.match(await desktop.page.locator('main').innerText(), /lisa\.lang@example\.org/);
    await phone.context.close();
    await desktop.context.close();
  });

  test("confirmed in the browser that registered: back in the service's login with the message, then in the service", async () => {
    const { context, page } = await newContext(browser);
    await registerFromService(page, 'tom.berg', 'tom.berg@example.org');
    await page.getByLabel('Ich akzeptiere die Nutzungsbedingungen').check();
    await page.getByRole('button', { name: 'Konto anlegen' }).click();
    await page.waitForURL(`${base}/register/sent`);
    await page.goto(await confirmationLink('tom.berg@example.org'));
    await page.getByRole('button', { name: 'Konto bestätigen' }).click();
    await page.waitForURL(/\/interaction\/[^/]+$/);
    await checkPage(page, 'sk-login-for-service-account-active');
    const main = await page.locator('main').innerText();
    assert.match(main, /Elternbeiträge Online/);
    assert.match(main, /Ihr Konto ist aktiv\. Melden Sie sich jetzt an\./);
    await page.getByRole('link', { name: 'Mit Benutzername und Passwort' }).click();
    await page.getByLabel('Benutzername oder E-Mail-Adresse').fill('tom.berg');
    await page.getByLabel('Passwort', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Anmelden', exact: true }).click();
    await page.getByRole('button', { name: 'Zustimmen und weiter' }).click();
    await page.waitForURL(`${example}/uebersicht`);
    assert.match(await page.locator('main').innerText(), /tom\.berg@example\.org/);
    await context.close();
  });
});
