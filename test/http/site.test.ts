import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
before(async () => (t = await buildTestApp()));
after(() => t.close());

test('every page names its icon, and the icon browsers ask for on their own leads to it', async () => {
  const page = await t.fastify.inject({ method: 'GET', url: '/', headers: { accept: 'text/html' } });
  assert.match(page.body, /<link rel="icon" href="\/static\/favicon\.[0-9a-f]{10}\.svg" type="image\/svg\+xml">/);
  const ico = await t.fastify.inject({ method: 'GET', url: '/favicon.ico' });
  assert.equal(ico.statusCode, 301);
  assert.equal(ico.headers.location, '/static/favicon.svg');
  const svg = await t.fastify.inject({ method: 'GET', url: '/static/favicon.svg' });
  assert.equal(svg.statusCode, 200);
  assert.match(String(svg.headers['content-type']), /^image\/svg\+xml/);
  assert.match(svg.body, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
});
