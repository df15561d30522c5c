import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { parse } from 'node-html-parser';
import { Browser, buildTestApp, login, registerVerified, type TestApp } from '../helpers/test-app.ts';

/** Issue 15 point 11: compressed pages and files, hashed file names cached for a year, the styles inlined. */
let t: TestApp;
before(async () => (t = await buildTestApp()));
after(() => t.close());

const get = (url: string, headers: Record<string, string> = {}) => t.fastify.inject({ method: 'GET', url, headers });

test('a page comes in brotli, gzip or as it is, as the browser accepts, and says it varies with that', async () => {
  const plain = await get('/login', { accept: 'text/html' });
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.match(String(plain.headers.vary), /Accept-Encoding/);
  assert.match(plain.body, /<h1/);
  const br = await get('/login', { accept: 'text/html', 'accept-encoding': 'gzip, deflate, br' });
  assert.equal(br.headers['content-encoding'], 'br');
  assert.match(String(br.headers.vary), /Accept-Encoding/);
  const fromBr = brotliDecompressSync(br.rawPayload).toString();
  assert.match(fromBr, /<h1/);
  assert.ok(
    br.rawPayload.length < plain.rawPayload.length / 4,
    `${br.rawPayload.length} of ${plain.rawPayload.length}`,
  );
  const gzip = await get('/login', { accept: 'text/html', 'accept-encoding': 'gzip;q=1, br;q=0' });
  assert.equal(gzip.headers['content-encoding'], 'gzip');
  assert.match(gunzipSync(gzip.rawPayload).toString(), /<h1/);
  const refused = await get('/login', { accept: 'text/html', 'accept-encoding': 'identity, *;q=0' });
  assert.equal(refused.headers['content-encoding'], undefined);
  assert.equal(String(refused.headers['cache-control']), String(plain.headers['cache-control']));
});

test('the CSRF token differs on every response, so a compressed page cannot leak it (BREACH), and each still works', async () => {
  const first = await get('/login/password', { accept: 'text/html' });
  const cookie = String(first.headers['set-cookie']).split(';')[0] ?? '';
  const tokenOf = (body: string) => parse(body).querySelector('input[name=_csrf]')?.getAttribute('value') ?? '';
  const second = await get('/login/password', { accept: 'text/html', cookie });
  assert.notEqual(tokenOf(first.body), tokenOf(second.body));
  for (const token of [tokenOf(first.body), tokenOf(second.body)]) {
    const login = await t.fastify.inject({
      method: 'POST',
      url: '/login/password',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: token, username: 'nobody', password: 'wrong wrong wrong' }).toString(),
    });
    assert.notEqual(login.statusCode, 403, `token ${token} refused`);
    assert.match(login.body, /<title>Fehler: Anmelden/);
  }
  const forged = await t.fastify.inject({
    method: 'POST',
    url: '/login/password',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: 'A'.repeat(86), username: 'nobody', password: 'x' }).toString(),
  });
  assert.equal(forged.statusCode, 403);
});

test('pages link files by hashed names that are cached for a year, compressed, and the old names still answer', async () => {
  const page = parse((await get('/', { accept: 'text/html' })).body);
  const icon = page.querySelector('link[rel=icon]')?.getAttribute('href') ?? '';
  assert.match(icon, /^\/static\/favicon\.[0-9a-f]{10}\.svg$/);
  const hashed = await get(icon, { 'accept-encoding': 'br' });
  assert.equal(hashed.statusCode, 200);
  assert.equal(hashed.headers['cache-control'], 'public, max-age=31536000, immutable');
  assert.equal(hashed.headers['content-encoding'], 'br');
  assert.match(String(hashed.headers.vary), /Accept-Encoding/);
  assert.match(brotliDecompressSync(hashed.rawPayload).toString(), /^<svg/);
  const again = await get(icon, { 'accept-encoding': 'br', 'if-none-match': String(hashed.headers.etag) });
  assert.equal(again.statusCode, 304);
  const gzip = await get(icon, { 'accept-encoding': 'gzip' });
  assert.equal(gzip.headers['content-encoding'], 'gzip');
  assert.notEqual(gzip.headers.etag, hashed.headers.etag);
  const old = await get('/static/favicon.svg');
  assert.equal(old.statusCode, 200);
  assert.equal(old.headers['content-encoding'], undefined);
  assert.equal(old.headers['cache-control'], 'public, max-age=3600');
  assert.match(old.body, /^<svg/);
  assert.equal((await get('/static/kern/kern.min.css')).statusCode, 200);
  assert.equal((await get('/static/favicon.0000000000.svg')).statusCode, 404);
  assert.equal((await get('/static/..%2fapp.ts')).statusCode, 404);
});

test('fonts are linked by hashed name and not compressed again; scripts are', async () => {
  const body = (await get('/', { accept: 'text/html' })).body;
  const font = /url\((\/static\/FiraSans-Regular\.[0-9a-f]{10}\.woff2)\)/.exec(body)?.[1] ?? '';
  assert.ok(font, 'the regular face is declared with its hashed name');
  const response = await get(font, { 'accept-encoding': 'br, gzip' });
  assert.equal(response.statusCode, 200);
  assert.equal(response.headers['content-type'], 'font/woff2');
  assert.equal(response.headers['content-encoding'], undefined);
  assert.equal(response.headers['cache-control'], 'public, max-age=31536000, immutable');
  // Read from disk per request (web/assets/catalogue.ts fontFile): the bytes are those its name's hash names.
  const hash = (await import('node:crypto')).createHash('sha256').update(response.rawPayload).digest('hex');
  assert.equal(font.split('.').at(-2), hash.slice(0, 10));
  const script = await get('/static/saml-post.js', { 'accept-encoding': 'gzip' });
  assert.equal(script.headers['content-encoding'], 'gzip');
  assert.match(String(script.headers['content-type']), /^text\/javascript/);
});

test('the styles are inlined, allowed by their hash alone, and hold only the KERN rules the pages use', async () => {
  const response = await get('/login', { accept: 'text/html' });
  const style = parse(response.body).querySelector('head style')?.textContent ?? '';
  const hash = (await import('node:crypto')).createHash('sha256').update(style).digest('base64');
  assert.match(
    String(response.headers['content-security-policy']),
    new RegExp(`style-src 'self' 'sha256-${hash.replace(/[+/]/g, '\\$&')}'`),
  );
  assert.doesNotMatch(String(response.headers['content-security-policy']), /unsafe-inline/);
  // Nothing holds up the first paint: the one linked stylesheet is for print, fetched for the next pages.
  const links = parse(response.body).querySelectorAll('link[rel=stylesheet]');
  assert.deepEqual(
    links.map((link) => link.getAttribute('media')),
    ['print'],
  );
  assert.match(style, /\.kern-btn--primary\b/);
  assert.match(style, /\.kern-form-input__input\b/);
  assert.doesNotMatch(style, /\.kern-dialog\b/, 'a component no page uses is left out');
  assert.ok(style.length < 120_000, `${style.length} characters of styles`);
});

test('the authenticator set-up page, which shows the same key on every load, is sent uncompressed (BREACH)', async () => {
  const citizen = new Browser(t.fastify);
  await registerVerified(t, citizen, 'lena.licht', 'lena@example.org');
  await login(citizen, 'lena.licht');
  const setup = await citizen.get('/account/totp/setup', { 'accept-encoding': 'br, gzip' });
  assert.equal(setup.statusCode, 200);
  assert.match(setup.body, /<code class="secret">/);
  assert.equal(setup.headers['content-encoding'], undefined);
  assert.match(String(setup.headers.vary), /Accept-Encoding/);
  const account = await citizen.get('/account', { 'accept-encoding': 'br, gzip' });
  assert.equal(account.headers['content-encoding'], 'br');
});
