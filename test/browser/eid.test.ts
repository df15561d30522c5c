import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { testCards, testPin, type TestCardId } from '../../src/dev/eid-simulator/cards.ts';
import { childEnv, freePort, startServer, type RunningServer } from '../e2e/helpers/server.ts';
import { seedDataDir } from '../helpers/db-template.ts';
import { checkPage, launchChromium, newContext } from './harness.ts';

/**
 * The online ID in a real browser (Debian's Chromium): the Servicekonto
 * without EID_SERVER_URL, so with its built-in eID-Server simulator and the
 * simulated eID client page standing in for the AusweisApp, and the example
 * service "Elternbeiträge Online" beside it. Found by visible labels, as a
 * person would; every page on the way passes the axe checks at desktop and
 * phone width (checkPage).
 */
describe('the online ID in a real browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let dataDir: string;
  let base: string;
  let example: string;
  /** Set once the journey has registered Erika's card: from then on it logs in. */
  let erikaRegistered = false;
  const cards = testCards(new Date());

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sk-browser-eid-'));
    // As `npm install` prepares ./data: the journeys need no fresh initdb.
    await seedDataDir(dataDir);
    const port = await freePort();
    const examplePort = await freePort();
    base = `http://localhost:${port}`;
    example = `http://localhost:${examplePort}`;
    server = await startServer(
      childEnv({
        PORT: String(port),
        HOST: '127.0.0.1',
        PUBLIC_URL: base,
        DATA_DIR: dataDir,
        START_EXAMPLE: 'true',
        EXAMPLE_PORT: String(examplePort),
        LOG_LEVEL: 'warn',
      }),
      port,
      60_000,
    );
    browser = await launchChromium();
    // The example is ready once its start page answers.
    for (let i = 0; i < 100; i++) {
      const ok = await fetch(example).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  // The whole page: a click's navigation may still be parsing when innerText is read.
  const main = async (page: Page) => {
    await page.waitForLoadState('load');
    return page.locator('main').innerText();
  };

  /** From a hand-over page ("Ausweis jetzt auslesen") to the simulated eID client; checked under `name` when given. */
  async function openClient(page: Page, name?: string): Promise<void> {
    await page.getByRole('link', { name: 'Ausweis jetzt auslesen' }).click();
    await page.waitForURL((url) => url.pathname === '/dev/eid-client/eID-Client');
    if (name) await checkPage(page, name);
  }

  /**
   * On the simulated eID client page: the test card, its PIN, "Ausweisen"; waits for the way back to the
   * RefreshAddress.
   */
  async function identify(page: Page, card: TestCardId, pin = testPin): Promise<void> {
    await page.getByRole('radio', { name: cards[card].label, exact: true }).check();
    await page.getByLabel('PIN (6 Ziffern)').fill(pin);
    await page.getByRole('button', { name: 'Ausweisen' }).click();
    if (pin !== testPin) return;
    await page.waitForURL((url) => url.pathname !== '/dev/eid-client/eID-Client');
    await page.waitForLoadState('load');
  }

  /** Logs out of the Servicekonto through the header's "Abmelden" (with the provider's confirmation when it asks). */
  async function logOut(page: Page): Promise<void> {
    await page.locator('header').getByRole('button', { name: 'Abmelden' }).click();
    await page.waitForLoadState('load');
    if (new URL(page.url()).pathname.startsWith('/oidc/session/end')) {
      await page.getByRole('button', { name: 'Ja, abmelden' }).click();
      await page.waitForLoadState('load');
    }
    assert.match(await main(page), /abgemeldet/);
    await page.goto(`${base}/account`);
    assert.match(page.url(), /\/login\?return=/, 'the session ended');
  }

  test('an unknown card registers, logs out and in again with the card; the example service asking for "hoch" gets the card data', async () => {
    const { context, page } = await newContext(browser);
    // The registration page offers the card first.
    await page.goto(`${base}/register`);
    await checkPage(page, 'eid-register-offer');
    assert.equal(
      await page.getByRole('link', { name: 'Mit Online-Ausweis registrieren' }).getAttribute('href'),
      '/register/eid',
    );
    await page.goto(`${base}/register/eid`);
    await checkPage(page, 'eid-register-handover');
    // A newcomer tries the card at the login: no account yet, so the page offers registering with it.
    await page.goto(`${base}/login`);
    await checkPage(page, 'eid-login-choice');
    await page.getByRole('link', { name: 'Mit Online-Ausweis' }).click();
    await page.waitForURL(`${base}/login/eid`);
    await checkPage(page, 'eid-login-handover');
    assert.match(await main(page), /Diese Daten werden ausgelesen/);
    await openClient(page, 'eid-client');
    assert.match(await main(page), /Nur für die Entwicklung/);
    await identify(page, 'erika');
    await checkPage(page, 'eid-unknown-card');
    assert.match(await main(page), /Zu diesem Ausweis gibt es noch kein Servicekonto/);

    // Registering with the data this reading read: the short form at once, no second PIN entry (issue 15, point 7).
    const form = await main(page);
    assert.match(form, /Sie brauchen die PIN nicht noch einmal/);
    assert.match(form, /Erika/);
    assert.match(form, /Mustermann/);
    await page.getByLabel('E-Mail-Adresse').fill('erika.ausweis@example.org');
    await page.getByLabel('Ich akzeptiere die Nutzungsbedingungen').check();
    await page.getByRole('button', { name: 'Servicekonto anlegen' }).click();
    await page.waitForURL(`${base}/account`);
    erikaRegistered = true;
    await checkPage(page, 'eid-account');
    assert.match(await main(page), /Vertrauensniveau „hoch“/);
    // The card and the data read from it, on their sections of "Mein Konto".
    await page.getByRole('link', { name: 'Anmeldung und Sicherheit' }).first().click();
    await page.waitForURL(`${base}/account/security`);
    const security = await main(page);
    assert.match(security, /Online-Ausweis/);
    assert.match(security, /Personalausweis/, 'the card is linked');
    await page.getByRole('link', { name: 'Persönliche Daten' }).first().click();
    assert.match(await main(page), /Mustermann/);

    // Out, and in again with the card.
    await logOut(page);
    await page.goto(`${base}/login`);
    await page.getByRole('link', { name: 'Mit Online-Ausweis' }).click();
    await page.waitForURL(`${base}/login/eid`);
    await openClient(page);
    await identify(page, 'erika');
    assert.equal(page.url(), `${base}/account`, 'the card logs in');
    await context.close();

    // A service that needs "hoch": in a browser without a session, through the eID and the consent back to it.
    const second = await newContext(browser);
    const p = second.page;
    await p.goto(example);
    await checkPage(p, 'eid-example-start');
    await p.getByRole('link', { name: 'Mit Online-Ausweis anmelden (Vertrauensniveau hoch)' }).click();
    await p.waitForURL(/\/interaction\/[^/]+$/);
    await checkPage(p, 'eid-service-login-choice');
    await p.getByRole('link', { name: 'Mit Online-Ausweis' }).click();
    await p.waitForURL(/\/interaction\/[^/]+\/eid$/);
    await checkPage(p, 'eid-service-handover');
    assert.match(await main(p), /Elternbeiträge Online/);
    // Changing one's mind in the eID client first: the service's error page offers to try again.
    await openClient(p, 'eid-service-client');
    assert.match(await main(p), /Elternbeiträge Online/, 'the client shows who asks');
    await p.getByRole('button', { name: 'Abbrechen' }).click();
    await p.waitForURL(/\/interaction\/[^/]+\/eid\/return\//);
    await checkPage(p, 'eid-service-cancelled');
    assert.match(await main(p), /abgebrochen/);
    await p.getByRole('link', { name: 'Erneut versuchen' }).click();
    await p.waitForURL(/\/interaction\/[^/]+\/eid$/);
    await openClient(p);
    await identify(p, 'erika');
    await checkPage(p, 'eid-service-consent');
    assert.match(await main(p), /Elternbeiträge Online/);
    await p.getByRole('button', { name: 'Zustimmen und weiter' }).click();
    await p.waitForURL(`${example}/uebersicht`);
    await checkPage(p, 'eid-example-overview');
    const overview = await main(p);
    assert.match(overview, /Vertrauensniveau: hoch/);
    assert.match(overview, /Erika/);
    assert.match(overview, /Mustermann/);
    assert.match(overview, /erika\.ausweis@example\.org/);
    await second.context.close();
  });

  test('every test card through the simulated eID client: a reading, or its own plain message', async () => {
    /** A fresh browser at the stand-alone eID login, on the simulated client page. */
    const atClient = async (name?: string) => {
      const opened = await newContext(browser);
      await opened.page.goto(`${base}/login/eid`);
      await openClient(opened.page, name);
      return opened;
    };
    const unknownCard = /Zu diesem Ausweis gibt es noch kein Servicekonto/;

    // Cards that are read; none but Erika's (after the journey above) has an account.
    for (const card of ['erika', 'smart-eid', 'smart-eid-sw', 'no-address'] as const) {
      const { context, page } = await atClient();
      await identify(page, card);
      if (card === 'erika' && erikaRegistered) {
        assert.equal(page.url(), `${base}/account`, card);
      } else {
        assert.match(await main(page), unknownCard, card);
      }
      await context.close();
    }

    // A wrong PIN: the client page says how many tries are left and asks again.
    {
      const { context, page } = await atClient();
      await identify(page, 'permit', '000000');
      await page.waitForLoadState('load');
      assert.match(await main(page), /Die PIN ist falsch\. Sie haben noch 2 Versuche\./);
      await checkPage(page, 'eid-client-wrong-pin');
      await identify(page, 'permit');
      assert.match(await main(page), unknownCard, 'permit after the right PIN');
      await context.close();
    }

    // Cards that cannot be used, and cancelling: each with its message and "Erneut versuchen".
    const failures: [TestCardId | 'cancel', RegExp][] = [
      ['expired', /Dieser Ausweis ist abgelaufen/],
      ['revoked', /nicht angenommen, zum Beispiel weil er gesperrt ist/],
      ['pin-blocked', /PUK/],
      ['cancel', /Sie haben das Auslesen des Ausweises abgebrochen/],
    ];
    for (const [card, message] of failures) {
      const { context, page } = await atClient(card === 'expired' ? 'eid-login-client' : undefined);
      if (card === 'cancel') {
        await page.getByRole('button', { name: 'Abbrechen' }).click();
        await page.waitForURL((url) => url.pathname !== '/dev/eid-client/eID-Client');
      } else {
        await identify(page, card);
      }
      assert.match(new URL(page.url()).pathname, /^\/login\/eid\/return\//, card);
      assert.match(await main(page), message, card);
      await checkPage(page, `eid-error-${card}`);
      await page.getByRole('link', { name: 'Erneut versuchen' }).click();
      await page.waitForURL(`${base}/login/eid`);
      await context.close();
    }
  });
});
