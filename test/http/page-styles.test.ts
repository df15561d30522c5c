import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { pageStyles } from '../../src/web/assets/catalogue.ts';
import { Browser, buildTestApp, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
before(async () => (t = await buildTestApp()));
after(() => t.close());

const inlineStyles = /<style>[^<]{10000,}<\/style>/;
const linkedStyles = /<link rel="stylesheet" href="(\/static\/page\.([0-9a-f]{10})\.css)">/;
const printStyles = /<link rel="stylesheet" href="(\/static\/page\.[0-9a-f]{10}\.css)" media="print">/;

test("a browser's first page brings the styles inline and fetches the file for later; its next pages link it", async () => {
  const browser = new Browser(t.fastify);
  const first = await browser.get('/login');
  assert.equal(first.statusCode, 200);
  assert.match(first.body, inlineStyles);
  const prefetched = printStyles.exec(first.body)?.[1];
  assert.ok(prefetched, 'the first page names the stylesheet for another medium, so the browser caches it');
  assert.doesNotMatch(first.body, linkedStyles);
  const cookie = [first.headers['set-cookie']].flat().find((c) => String(c).startsWith('sk_styles='));
  assert.match(String(cookie), /^sk_styles=[0-9a-f]{10}; Max-Age=31536000; Path=\/; HttpOnly; SameSite=Lax$/);

  const second = await browser.get('/register');
  assert.equal(second.statusCode, 200);
  assert.doesNotMatch(second.body, /<style>/);
  assert.doesNotMatch(second.body, printStyles);
  const [, href, version] = linkedStyles.exec(second.body) ?? [];
  assert.equal(href, prefetched);
  assert.equal(`sk_styles=${version}`, String(cookie).split(';')[0]);
  assert.equal(second.headers['set-cookie'], undefined, 'nothing to set again');
  assert.ok(second.body.length < first.body.length - 50_000, `${second.body.length} vs ${first.body.length} bytes`);

  // The file holds exactly what the first page had inline, cached for a year under a name that changes with it.
  const file = await t.fastify.inject({ method: 'GET', url: href ?? '' });
  assert.equal(file.statusCode, 200);
  assert.match(String(file.headers['content-type']), /^text\/css/);
  assert.equal(file.headers['cache-control'], 'public, max-age=31536000, immutable');
  assert.equal(file.body, pageStyles().css);
  assert.equal(`<style>${file.body}</style>`, inlineStyles.exec(first.body)?.[0]);
});

test('a cookie naming other styles (older, or made up) gets them inline again, and the current version', async () => {
  for (const value of ['0123456789', 'x'.repeat(300), '']) {
    const page = await t.fastify.inject({ method: 'GET', url: '/login', cookies: { sk_styles: value } });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, inlineStyles);
    assert.doesNotMatch(page.body, linkedStyles);
    assert.match(String([page.headers['set-cookie']].flat().join('\n')), /sk_styles=[0-9a-f]{10};/);
  }
});

test('a linked page keeps the Content-Security-Policy: styles from our origin only, no inline style but the known one', async () => {
  const browser = new Browser(t.fastify);
  await browser.get('/login');
  const linked = await browser.get('/login');
  assert.match(linked.body, linkedStyles);
  const csp = String(linked.headers['content-security-policy']);
  assert.match(csp, /style-src 'self' 'sha256-[A-Za-z0-9+/=]+'(;|$)/);
});
