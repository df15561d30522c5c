import { test } from 'node:test';
import assert from 'node:assert/strict';
import { negotiateEncoding } from './compression.ts';

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
