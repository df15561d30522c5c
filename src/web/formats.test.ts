import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { formatWait } from './formats.ts';

describe('formatWait', () => {
  test('says one second, not "1 Sekunden"', () => {
    assert.equal(formatWait(1, 'de'), '1 Sekunde');
    assert.equal(formatWait(1, 'en'), '1 second');
    assert.equal(formatWait(45, 'de'), '45 Sekunden');
  });

  test('long waits in minutes or hours, rounded up so waiting as told is enough', () => {
    assert.equal(formatWait(60, 'de'), '1 Minute');
    assert.equal(formatWait(61, 'de'), '2 Minuten');
    assert.equal(formatWait(3600, 'de'), '60 Minuten');
    assert.equal(formatWait(3412, 'en'), '57 minutes');
    assert.equal(formatWait(2 * 3600, 'de'), '2 Stunden');
    assert.equal(formatWait(24 * 3600, 'en'), '24 hours');
  });

  test('never less than one second', () => {
    assert.equal(formatWait(0, 'de'), '1 Sekunde');
    assert.equal(formatWait(0.2, 'en'), '1 second');
  });
});
