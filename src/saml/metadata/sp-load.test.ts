import assert from 'node:assert/strict';
import { test } from 'node:test';
import { durationMs } from './sp-load.ts';

test('xs:duration values as metadata cacheDuration uses them', () => {
  assert.equal(durationMs('PT6H'), 6 * 3600 * 1000);
  assert.equal(durationMs('PT30M'), 30 * 60 * 1000);
  assert.equal(durationMs('P1DT2H'), 26 * 3600 * 1000);
  assert.equal(durationMs('PT1.5S'), 1500);
  assert.equal(durationMs(' P1Y '), 365 * 24 * 3600 * 1000);
  assert.equal(durationMs('P2M'), 60 * 24 * 3600 * 1000, 'M before T is months');
  for (const invalid of ['P', 'PT', 'P1DT', '-PT1H', 'PT1H30', '6h', ''])
    assert.equal(durationMs(invalid), undefined, invalid);
});
