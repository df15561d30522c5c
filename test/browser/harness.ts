import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const screenshotDir = new URL('../../test-output/screenshots/', import.meta.url).pathname;

/**
 * Screenshots of every page for people to look at: `SCREENSHOTS=1 node test/run.ts test/browser/…`. Off by default,
 * since two full-page PNGs per page cost the browser tests a quarter of their time and assert nothing.
 */
const screenshots = process.env.SCREENSHOTS === '1';

/** Debian's Chromium, headless, with the network features that would call out switched off. */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
    ],
  });
}

export const desktop = { width: 1280, height: 900 };
export const phone = { width: 375, height: 667 };

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** Runs axe-core at the WCAG 2.1 A/AA tags (evaluated through DevTools, so the page's CSP stays strict). */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(`${axeSource}\n;void 0`);
  const result = (await page.evaluate(
    `axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })`,
  )) as { violations: AxeViolation[] };
  return result.violations;
}

const checked = new Set<string>();

/**
 * Every page reached: no axe violations at desktop and at phone width, at most one
 * primary button, no horizontal scrolling on the phone, and (SCREENSHOTS=1) a screenshot of each for people.
 */
export async function checkPage(page: Page, name: string): Promise<void> {
  await page.waitForLoadState('load');
  const key = `${name}`;
  const violations = await axeViolations(page);
  assert.deepEqual(
    violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    [],
    `axe violations on ${name} (${page.url()})`,
  );
  // One primary action per page (issue 15 point 10; KERN: the primary button marks the main action).
  const primaries = (await page.evaluate(
    `[...document.querySelectorAll('.kern-btn--primary')].filter((b) => b.offsetParent !== null).map((b) => b.textContent.trim())`,
  )) as string[];
  assert.ok(primaries.length <= 1, `${name} has ${primaries.length} primary buttons: ${primaries.join(' | ')}`);
  if (checked.has(key)) return;
  checked.add(key);
  if (screenshots) mkdirSync(screenshotDir, { recursive: true });
  const size = page.viewportSize() ?? desktop;
  if (screenshots) await page.screenshot({ path: `${screenshotDir}${name}-desktop.png`, fullPage: true });
  await page.setViewportSize(phone);
  const phoneViolations = await axeViolations(page);
  assert.deepEqual(
    phoneViolations.map((v) => v.id),
    [],
    `axe violations on ${name} at phone width`,
  );
  // A link inside a sentence flows with it: KERN's inline-flex links break the line before the full stop.
  const blockLinksInText = (await page.evaluate(
    `[...document.querySelectorAll('main .kern-link')].filter((a) => a.getClientRects().length > 0 && [...a.parentNode.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim()) && getComputedStyle(a).display !== 'inline').map((a) => a.textContent.trim())`,
  )) as string[];
  assert.deepEqual(blockLinksInText, [], `${name} has links in running text that do not flow with it`);
  const overflow = (await page.evaluate('document.documentElement.scrollWidth - window.innerWidth')) as number;
  assert.ok(overflow <= 0, `${name} scrolls sideways by ${overflow}px at 375px`);
  if (screenshots) await page.screenshot({ path: `${screenshotDir}${name}-phone.png`, fullPage: true });
  await page.setViewportSize(size);
}

/** Counts the clicks of a journey: the seed's promise is four. */
export function clickCounter() {
  let clicks = 0;
  return {
    async click(locator: ReturnType<Page['getByRole']>): Promise<void> {
      clicks++;
      await locator.click();
    },
    get count() {
      return clicks;
    },
  };
}

export async function newContext(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: desktop, locale: 'de-DE' });
  const page = await context.newPage();
  return { context, page };
}
