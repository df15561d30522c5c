import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { composeMail } from '../../src/platform/mail/compose.ts';
import { checkPage, launchChromium, newContext } from './harness.ts';

/** The warning before an inactivity deletion (DESIGN.md §7), as a mail program shows its HTML part. */
let browser: Browser;
before(async () => {
  browser = await launchChromium();
});
after(() => browser?.close());

for (const lang of ['de', 'en'] as const) {
  test(`the inactivity warning (${lang}) reads well on desktop and phone, names the day and links the login`, async () => {
    const mail = composeMail({
      to: 'erika@example.org',
      lang,
      template: 'inactivityWarning',
      params: { username: 'erika.m', lastUsed: '15. Januar 2025', date: '15. Januar 2027', months: 24 },
      link: 'https://konto.example/login',
    });
    const { context, page } = await newContext(browser);
    await page.setContent(mail.html);
    await checkPage(page, `mail-inactivity-warning-${lang}`);
    const link = page.getByRole('link', { name: lang === 'de' ? 'Jetzt anmelden' : 'Log in now' });
    assert.equal(await link.getAttribute('href'), 'https://konto.example/login');
    const text = await page.locator('body').innerText();
    assert.match(text, /15\. Januar 2027/);
    assert.match(text, lang === 'de' ? /einmal an/ : /log in once/);
    await context.close();
  });
}
