import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generate } from 'otplib';
import type { Browser, Page } from 'playwright-core';
import { checkPage, clickCounter, launchChromium, newContext, phone } from './harness.ts';
import { startWithExample, type ServiceWithExample } from './servers.ts';

/**
 * The citizen's journeys in a real browser (Debian's Chromium), found by
 * visible labels as a person would: the Servicekonto and the example online
 * service "Elternbeiträge Online", each in its own process.
 */
describe('the four-click journey in a real browser', () => {
  let server: ServiceWithExample;
  let browser: Browser;
  let base: string;
  let example: string;
  let demo: { username: string; password: string };

  before(async () => {
    // As `npm install` prepares ./data: the journeys need no fresh initdb.
    server = await startWithExample('browser');
    ({ base, example } = server);
    browser = await launchChromium();
    const { context, page } = await newContext(browser);
    await page.goto(example);
    // A newcomer reads the demo credentials off the example's start page.
    demo = {
      username: (await page.locator('li', { hasText: 'Benutzername:' }).locator('code').innerText()).trim(),
      password: (await page.locator('li', { hasText: 'Passwort:' }).locator('code').innerText()).trim(),
    };
    await context.close();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function openMailLink(page: Page, to: string, subject: RegExp): Promise<void> {
    await page.goto(`${base}/dev/mail`);
    await checkPage(page, 'sk-dev-mail');
    const card = page.locator('article', { hasText: to }).filter({ hasText: subject }).first();
    await card.getByRole('link').first().click();
  }

  test('a returning citizen who confirms consent is back in four clicks', async () => {
    const { context, page } = await newContext(browser);
    const clicks = clickCounter();
    await page.goto(example);
    await checkPage(page, 'example-start');
    await clicks.click(page.getByRole('link', { name: 'Anmelden mit Servicekonto' }));
    await page.waitForURL(/\/interaction\//);
    await checkPage(page, 'sk-login-choice');
    await clicks.click(page.getByRole('link', { name: 'Mit Benutzername und Passwort' }));
    await checkPage(page, 'sk-login-password');
    await page.getByLabel('Benutzername oder E-Mail-Adresse').fill(demo.username);
    await page.getByLabel('Passwort', { exact: true }).fill(demo.password);
    await clicks.click(page.getByRole('button', { name: 'Anmelden', exact: true }));
    await page.waitForURL(/\/interaction\//);
    await checkPage(page, 'sk-consent');
    assert.match(await page.locator('main').innerText(), /Elternbeiträge Online/);
    await clicks.click(page.getByRole('button', { name: 'Zustimmen und weiter' }));
    await page.waitForURL(`${example}/uebersicht`);
    assert.ok(clicks.count <= 4, `${clicks.count} clicks`);
    assert.equal(clicks.count, 4);
    await checkPage(page, 'example-overview');
    assert.match(await page.locator('main').innerText(), /Mustermann/);
    assert.match(await page.locator('main').innerText(), /erika\.mustermann@example\.org/);

    // The released data pre-fill the income self-declaration.
    await page.getByRole('link', { name: 'Neue Selbsteinschätzung abgeben' }).click();
    await checkPage(page, 'example-declaration');
    assert.equal(await page.getByLabel('Name', { exact: true }).inputValue(), 'Erika Mustermann');
    await page.getByRole('button', { name: 'Selbsteinschätzung absenden' }).click();
    await checkPage(page, 'example-declaration-errors');
    assert.match(await page.getByRole('alert').innerText(), /Namen des Kindes/);
    await page.getByLabel('Vor- und Familienname des Kindes').fill('Lena Mustermann');
    await page.getByLabel('Geburtsdatum des Kindes').fill('2021-05-17');
    await page.getByLabel('Einrichtung (Kita, Tagespflege oder OGS)').fill('Kita Regenbogen');
    await page.getByLabel('35 Stunden').check();
    await page.getByLabel('Jährliches Bruttoeinkommen des Haushalts').selectOption({ label: '37.001 € bis 50.000 €' });
    await page.getByLabel('Ich versichere').check();
    await page.getByRole('button', { name: 'Selbsteinschätzung absenden' }).click();
    await page.waitForURL(`${example}/uebersicht`);
    const overview = await page.locator('main').innerText();
    assert.match(overview, /Ihre Selbsteinschätzung ist eingegangen/);
    assert.match(overview, /Lena Mustermann/);
    assert.match(overview, /Eingegangen/);
    assert.match(overview, /100,00/);
    await checkPage(page, 'example-overview-submitted');

    // Logout from the example ends the SSO session.
    await page.getByRole('button', { name: 'Abmelden' }).click();
    await page.waitForURL(/\/oidc\/session\/end/);
    await checkPage(page, 'sk-logout-confirm');
    await page.getByRole('button', { name: 'Ja, abmelden' }).click();
    await page.waitForURL(`${example}/?abgemeldet=1`);
    assert.match(await page.locator('main').innerText(), /Sie sind abgemeldet/);
    await page.goto(`${base}/account`);
    assert.match(page.url(), /\/login\?return=/, 'the Servicekonto session ended too');
    await context.close();
  });

  test('a first-time citizen registers, confirms the e-mail and is back in the service', async () => {
    const { context, page } = await newContext(browser);
    await page.goto(example);
    await page.getByRole('link', { name: 'Anmelden mit Servicekonto' }).click();
    await page.waitForURL(/\/interaction\//);
    await page.getByRole('link', { name: 'Jetzt registrieren' }).click();
    await checkPage(page, 'sk-register');
    await page.getByLabel('Benutzername', { exact: true }).fill('max.mueller');
    await page.getByLabel('E-Mail-Adresse').fill('max.mueller@example.org');
    await page.getByLabel('Passwort', { exact: true }).fill('Sommer am See mit Freunden');
    await page.getByLabel('Passwort wiederholen').fill('Sommer am See mit Freunden');
    await page.getByLabel('Ich akzeptiere die Nutzungsbedingungen').check();
    await page.getByRole('button', { name: 'Konto anlegen' }).click();
    await page.waitForURL(`${base}/register/sent`);
    await checkPage(page, 'sk-register-sent');
    assert.match(await page.locator('main').innerText(), /max\.mueller@example\.org/);

    // The link shows a button; in the browser that registered, it leads back into the service's login.
    await openMailLink(page, 'max.mueller@example.org', /bestätigen Sie Ihre E-Mail-Adresse/);
    await checkPage(page, 'sk-email-confirm');
    await page.getByRole('button', { name: 'Konto bestätigen' }).click();
    await page.waitForURL(/\/interaction\/[^/]+$/);
    assert.match(await page.locator('main').innerText(), /Ihr Konto ist aktiv\. Melden Sie sich jetzt an\./);
    await page.getByRole('link', { name: 'Mit Benutzername und Passwort' }).click();
    await page.getByLabel('Benutzername oder E-Mail-Adresse').fill('max.mueller');
    await page.getByLabel('Passwort', { exact: true }).fill('Sommer am See mit Freunden');
    await page.getByRole('button', { name: 'Anmelden', exact: true }).click();
    await page.getByRole('button', { name: 'Zustimmen und weiter' }).click();
    await page.waitForURL(`${example}/uebersicht`);
    assert.match(await page.locator('main').innerText(), /max\.mueller@example\.org/);
    // The level in the Servicekonto's word for it, not the acr's technical "basis".
    assert.match(await page.locator('main').innerText(), /Vertrauensniveau: Basisregistrierung\n/);
    await context.close();
  });

  test('a citizen who forgot the password sets a new one from the mail', async () => {
    const { context, page } = await newContext(browser);
    await page.goto(`${base}/`);
    await checkPage(page, 'sk-start');
    await page.getByRole('main').getByRole('link', { name: 'Anmelden', exact: true }).click();
    await page.getByRole('link', { name: 'Mit Benutzername und Passwort' }).click();
    await page.getByRole('link', { name: 'Passwort vergessen?' }).click();
    await checkPage(page, 'sk-forgot-password');
    await page.getByLabel('Benutzername oder E-Mail-Adresse').fill('max.mueller');
    await page.getByRole('button', { name: 'Link senden' }).click();
    assert.match(await page.locator('main').innerText(), /Wenn ein Konto zu Ihrer Eingabe gehört/);
    await openMailLink(page, 'max.mueller@example.org', /Neues Passwort/);
    await checkPage(page, 'sk-reset-password');
    await page.getByLabel('Neues Passwort').fill('Herbst im Wald mit Pilzen');
    await page.getByLabel('Passwort wiederholen').fill('Herbst im Wald mit Pilzen');
    await page.getByRole('button', { name: 'Passwort speichern' }).click();
    assert.match(await page.locator('main').innerText(), /neues Passwort ist gespeichert/);
    await page.goto(`${base}/login/password`);
    await page.getByLabel('Benutzername oder E-Mail-Adresse').fill('max.mueller');
    await page.getByLabel('Passwort', { exact: true }).fill('Herbst im Wald mit Pilzen');
    await page.getByRole('button', { name: 'Anmelden', exact: true }).click();
    await page.waitForURL(`${base}/account`);
    await checkPage(page, 'sk-account');

    // A second factor, set up from "Anmeldung und Sicherheit" with the key shown as text.
    await page
      .getByRole('navigation', { name: 'Bereiche von „Mein Konto“' })
      .getByRole('link', { name: 'Anmeldung und Sicherheit' })
      .click();
    await page.getByRole('link', { name: 'Authenticator-App einrichten' }).click();
    await checkPage(page, 'sk-totp-setup');
    const secret = (await page.locator('code.secret').innerText()).replace(/\s/g, '');
    await page.getByLabel('Sechsstelliger Code aus der App').fill(await generate({ secret }));
    await page.getByRole('button', { name: 'Bestätigen' }).click();
    assert.match(await page.locator('main').innerText(), /Die Authenticator-App ist eingerichtet/);
    await checkPage(page, 'sk-recovery-codes');
    // Kept as a text file and on paper (issue 15, point 8): a download, and a print view in a new window.
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Als Textdatei herunterladen' }).click();
    assert.equal((await download).suggestedFilename(), 'servicekonto-wiederherstellungscodes.txt');
    const printView = context.waitForEvent('page');
    await page.getByRole('button', { name: 'Druckansicht öffnen (neues Fenster)' }).click();
    const print = await printView;
    await print.getByRole('button', { name: 'Drucken' }).waitFor();
    assert.equal(await print.locator('ol.recovery-codes li').count(), 10);
    await checkPage(print, 'sk-recovery-codes-print');
    await print.close();
    await page.getByRole('link', { name: 'Ich habe die Codes notiert – weiter' }).click();
    await page.waitForURL(`${base}/account/security`);
    await checkPage(page, 'sk-account-with-totp');

    // A mobile number for SMS codes; the first code is slow to come, so the citizen asks for a new one.
    await page.getByLabel('Mobilfunknummer').fill('0151 23456789');
    await page.getByRole('button', { name: 'Code senden', exact: true }).click();
    await page.waitForURL(`${base}/account/sms/confirm`);
    await page.getByRole('button', { name: 'Neuen Code senden' }).click();
    await page.waitForURL(`${base}/account/sms/confirm?resent=1`);
    assert.match(
      await page.locator('main').innerText(),
      /neuen Code .* gesendet\. .*Der vorige Code gilt nicht mehr\./s,
    );
    await checkPage(page, 'sk-sms-confirm-resent');
    await context.close();
  });

  test('the whole login works with the keyboard alone', async () => {
    const { context, page } = await newContext(browser);
    await page.goto(example);
    /** Tabs forward until the focused element has this accessible text; fails after 40 tabs. */
    const tabTo = async (text: RegExp) => {
      for (let i = 0; i < 40; i++) {
        await page.keyboard.press('Tab');
        const focused = (await page.evaluate(
          '(document.activeElement?.innerText || document.activeElement?.getAttribute("aria-label") || document.activeElement?.labels?.[0]?.innerText || "").trim()',
        )) as string;
        if (text.test(focused)) return;
      }
      assert.fail(`could not reach ${text} with the Tab key on ${page.url()}`);
    };
    await tabTo(/Anmelden mit Servicekonto/);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/interaction\//);
    await tabTo(/Mit Benutzername und Passwort/);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/password$/);
    await tabTo(/Benutzername oder E-Mail-Adresse/);
    await page.keyboard.type(demo.username);
    await page.keyboard.press('Tab');
    await page.keyboard.type(demo.password);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${example}/uebersicht`);
    assert.match(await page.locator('main').innerText(), /Ihre Daten aus dem Servicekonto/);
    await context.close();
  });

  test('the pages fit a phone screen', async () => {
    const { context, page } = await newContext(browser);
    await page.setViewportSize(phone);
    for (const [name, url] of [
      ['sk-start-phone', `${base}/`],
      ['sk-login-phone', `${base}/login/password`],
      ['example-start-phone', example],
    ] as const) {
      await page.goto(url);
      await checkPage(page, name);
    }
    await context.close();
  });

  test('pages without a journey of their own pass the accessibility checks', async () => {
    const { context, page } = await newContext(browser);
    // Blocking a lost second factor: the request form, then its answer.
    await page.goto(`${base}/means/lost`);
    await checkPage(page, 'sk-means-lost');
    await page.getByLabel('Benutzername oder E-Mail-Adresse').fill('nobody.here');
    await page.getByRole('button', { name: 'Link senden' }).click();
    await page.waitForURL(`${base}/means/lost`);
    await checkPage(page, 'sk-means-lost-sent');
    // The development SMS sink.
    await page.goto(`${base}/dev/sms`);
    await checkPage(page, 'sk-dev-sms');
    // A logout without a session: our page in place of oidc-provider's form post page, held still by
    // blocking the script that submits it (the SAML Response page has the same form and script).
    await page.route('**/static/saml-post.*.js', (route) => route.abort());
    await page.goto(`${base}/oidc/session/end`);
    assert.equal(await page.title(), 'Abmeldung – Servicekonto');
    await checkPage(page, 'sk-logout-post');
    await context.close();
  });
});
