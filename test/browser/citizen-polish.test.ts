import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { checkPage, launchChromium, newContext } from './harness.ts';
import { startWithExample, type ServiceWithExample } from './servers.ts';

/**
 * Issue 15 points 3, 4, 5 and 10 in a real browser, with the demo citizen
 * and the example service: errors that name the field and take the focus,
 * data in people's format on the consent page and at the service, cards
 * that are clickable as a whole, an aligned cancel link, and one logout.
 */
describe('the citizen’s pages, polished', () => {
  let server: ServiceWithExample;
  let browser: Browser;
  let base: string;
  let example: string;

  before(async () => {
    server = await startWithExample('polish');
    ({ base, example } = server);
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('from the service’s login to its data and back out, every page as it should be', async () => {
    const { context, page } = await newContext(browser);
    await page.goto(example);
    const username = (await page.locator('li', { hasText: 'Benutzername:' }).locator('code').innerText()).trim();
    const password = (await page.locator('li', { hasText: 'Passwort:' }).locator('code').innerText()).trim();
    await page.getByRole('link', { name: 'Anmelden mit Servicekonto' }).click();
    await page.waitForURL(/\/interaction\//);

    // The cancel control lines up with the links above it.
    const registerLink = page.getByRole('link', { name: 'Jetzt registrieren' });
    const cancel = page.getByRole('button', { name: /Anmeldung abbrechen/ });
    const [linkBox, cancelText] = [await registerLink.boundingBox(), await cancel.locator('.kern-label').boundingBox()];
    assert.ok(linkBox && cancelText);
    assert.ok(Math.abs(linkBox.x - cancelText.x) <= 1, `cancel at x=${cancelText.x}, links at x=${linkBox.x}`);

    // The whole card is the link: a click on its description chooses the method.
    const hint = await page.getByText('Für die meisten Online-Dienste').boundingBox();
    assert.ok(hint);
    await page.mouse.click(hint.x + hint.width / 2, hint.y + hint.height / 2);
    await page.waitForURL(/\/password$/);

    // An empty form: each field named, the summary focused, the message also at the field.
    await page.getByRole('button', { name: 'Anmelden', exact: true }).click();
    await page.waitForLoadState('load');
    await checkPage(page, 'sk-login-errors');
    const summary = page.getByRole('alert');
    assert.match(await summary.innerText(), /Geben Sie Ihren Benutzernamen oder Ihre E-Mail-Adresse ein\./);
    assert.match(await summary.innerText(), /Geben Sie Ihr Passwort ein\./);
    assert.equal(await page.evaluate('document.activeElement.classList.contains("error-summary")'), true);

    await page.getByRole('textbox', { name: /Benutzername/ }).fill(username);
    await page.getByLabel('Passwort', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Anmelden', exact: true }).click();

    // Consent: people's formats, each datum once, nothing technical.
    await page.getByRole('heading', { name: 'Daten freigeben' }).waitFor();
    await checkPage(page, 'sk-consent');
    const consent = await page.locator('main').innerText();
    assert.match(consent, /Geburtsdatum\s+12\.08\.1964/);
    assert.match(consent, /Staatsangehörigkeit\s+deutsch/);
    assert.match(consent, /Land\s+Deutschland/);
    assert.doesNotMatch(consent, /1964-08-12|\bDE\b/);
    assert.equal(consent.match(/Familienname/g)?.length, 1);
    await page.getByRole('button', { name: 'Zustimmen und weiter' }).click();

    // The example service shows the same data in the same way.
    await page.waitForURL(`${example}/uebersicht`);
    const data = await page.locator('main').innerText();
    assert.match(data, /Geburtsdatum\s+12\.08\.1964/);

    // The header's logout: no second question, the one logged-out page.
    await page.goto(base);
    // It reads like the links beside it: the same text size, on the same line.
    const textOf = (locator: ReturnType<typeof page.locator>) =>
      locator.evaluate((e) => {
        const box = e.getBoundingClientRect();
        return { size: getComputedStyle(e).fontSize, bottom: Math.round(box.bottom) };
      });
    const accountLink = await textOf(page.locator('header').getByRole('link', { name: 'Mein Konto' }));
    const logoutLabel = await textOf(
      page.locator('header').getByRole('button', { name: 'Abmelden' }).locator('.kern-label'),
    );
    assert.deepEqual(logoutLabel, accountLink, 'the logout button’s text beside the “Mein Konto” link');
    await page.getByRole('button', { name: 'Abmelden' }).click();
    await page.waitForURL(`${base}/logout/done`);
    await checkPage(page, 'sk-logout-done');
    assert.match(await page.locator('main').innerText(), /Sie sind jetzt abgemeldet/);
    assert.equal(
      await page.getByRole('link', { name: 'Anmelden', exact: true }).count(),
      1,
      'the header shows the citizen logged out',
    );
    await page.goto(`${base}/account`);
    assert.match(page.url(), /\/login/);
    await context.close();
  });
});
