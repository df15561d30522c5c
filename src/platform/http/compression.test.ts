import { test } from 'node:test';
import assert from 'node:assert/strict';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import Fastify from 'fastify';
import { installPageCompression, negotiateEncoding } from './compression.ts';

test('Accept-Encoding: brotli first, then gzip, q=0 refuses, * stands for the rest, nothing named means none', () => {
  assert.equal(negotiateEncoding('gzip, deflate, br, zstd'), 'br');
  assert.equal(negotiateEncoding('gzip, deflate'), 'gzip');
  assert.equal(negotiateEncoding('br;q=0, gzip'), 'gzip');
  assert.equal(negotiateEncoding('br;q=0.5, gzip;q=0.8'), 'gzip');
  assert.equal(negotiateEncoding('*'), 'br');
  assert.equal(negotiateEncoding('*;q=0, gzip'), 'gzip');
  assert.equal(negotiateEncoding('identity'), 'identity');
  assert.equal(negotiateEncoding(''), 'identity');
  assert.equal(negotiateEncoding(undefined), 'identity');
  assert.equal(negotiateEncoding('GZIP;Q=1'), 'gzip');
  assert.equal(negotiateEncoding('br;q=nonsense, gzip'), 'gzip');
});

test('pages small and large come back whole in every encoding (small ones at once, large ones on the pool)', async () => {
  const fastify = Fastify();
  installPageCompression(fastify);
  const page = (kb: number) => `<!doctype html><p>${'Grüße aus dem Servicekonto. '.repeat(kb * 37)}</p>`;
  fastify.get('/page/:kb', async (request, reply) =>
    reply.type('text/html; charset=utf-8').send(page(Number((request.params as { kb: string }).kb))),
  );
  for (const kb of [2, 30, 40, 200]) {
    for (const [encoding, decode] of [
      ['br', brotliDecompressSync],
      ['gzip', gunzipSync],
    ] as const) {
      const response = await fastify.inject({ url: `/page/${kb}`, headers: { 'accept-encoding': encoding } });
      assert.equal(response.headers['content-encoding'], encoding, `${kb} KB`);
      assert.equal(decode(response.rawPayload).toString('utf8'), page(kb), `${kb} KB, ${encoding}`);
      assert.ok(response.rawPayload.length < Buffer.byteLength(page(kb)) / 10);
    }
  }
  await fastify.close();
});
