import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { sitePages } from '../../src/site/pages.ts';
import { buildTestApp, type TestApp } from '../helpers/test-app.ts';
import { checkPage, launchChromium, newContext, phone } from './harness.ts';

/**
 * The operator's legal and help pages in a real browser, with an operator's name, logo, colour and sign-language
 * video: axe-clean at desktop and phone width, the Kopfzeile's flag drawn, the colour reaching KERN's links.
 */
describe('legal and help pages in a real browser', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;

  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sk-site-browser-'));
    writeFileSync(
      join(dir, 'logo.svg'),
      '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 40"><rect width="40" height="40" fill="#1b5e20"/></svg>',
    );
    writeFileSync(join(dir, 'gebaerdensprache.mp4'), Buffer.alloc(0));
    writeFileSync(join(dir, 'gebaerdensprache.vtt'), 'WEBVTT\n\n00:00.000 --> 00:02.000\nWillkommen\n');
    t = await buildTestApp({
      SITE_DIR: dir,
      SITE_NAME: 'Landkreis Beispiel',
      SITE_ADDRESS: 'Landratsamt; Am Markt 1; 99999 Beispielstadt',
      SITE_EMAIL: 'konto@landkreis.example',
      SITE_COLOR: '#1b5e20',
    });
    base = await t.fastify.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchChromium();
  });
  after(async () => {
    await browser.close();
    await t.close();
  });

  test('every page from the footer, axe-clean at desktop and phone width', async () => {
    const { context, page } = await newContext(browser);
    await page.goto(`${base}/`);
    await checkPage(page, 'site-start');
    for (const { slug } of sitePages) {
      // As a citizen gets there: by the footer link on the page before.
      await page
        .locator('footer')
        .getByRole('link', { name: new RegExp(`^${titleOf(slug)}`) })
        .click();
      await page.waitForURL(`${base}/${slug}`);
      assert.equal(await page.locator('h1').innerText(), titleOf(slug));
      await checkPage(page, `site-${slug}`);
    }
    await context.close();
  });

  test("the Kopfzeile's flag fills KERN's slot; the operator's colour reaches KERN's links", async () => {
    const { context, page } = await newContext(browser);
    await page.goto(`${base}/hilfe`);
    const flag = await page.locator('.kern-kopfzeile__flagge svg').boundingBox();
    assert.ok(
      flag && flag.width === 24 && flag.height >= 15 && flag.height <= 16,
      `flag at desktop: ${JSON.stringify(flag)}`,
    );
    const color = await page
      .locator('main a.kern-link')
      .first()
      .evaluate((a) => getComputedStyle(a).color);
    assert.equal(color, 'rgb(27, 94, 32)');
    const logo = await page.locator('.site-brand__logo').boundingBox();
    assert.ok(logo && logo.height === 40, `logo: ${JSON.stringify(logo)}`);
    await page.setViewportSize(phone);
    const small = await page.locator('.kern-kopfzeile__flagge svg').boundingBox();
    assert.ok(small && small.width === 18, `flag on a phone: ${JSON.stringify(small)}`);
    await context.close();
  });
});

function titleOf(slug: string): string {
  const titles: Record<string, string> = {
    impressum: 'Impressum',
    datenschutz: 'Datenschutzerklärung',
    nutzungsbedingungen: 'Nutzungsbedingungen',
    barrierefreiheit: 'Erklärung zur Barrierefreiheit',
    hilfe: 'Hilfe',
    'leichte-sprache': 'Leichte Sprache',
    gebaerdensprache: 'Deutsche Gebärdensprache',
  };
  return titles[slug] ?? slug;
}
