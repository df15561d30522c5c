import assert from 'node:assert/strict';
import { test } from 'node:test';
import { maskPhone, normalizePhone } from './phone.ts';

test('German mobile numbers in the usual spellings become E.164', () => {
  for (const typed of [
    '0151 23456789',
    '+49 151 23456789',
    '0049-151-23456789',
    '+49 (0) 151 / 234 567 89',
    '(0151) 234.567.89',
  ]) {
    assert.deepEqual(normalizePhone(typed), { phone: '+4915123456789' }, typed);
  }
  assert.deepEqual(normalizePhone('+43 664 1234567'), { phone: '+436641234567' });
});

test('landlines, garbage and over-long numbers are refused with a reason', () => {
  assert.deepEqual(normalizePhone('0221 1234567'), { problem: 'notMobile' });
  assert.deepEqual(normalizePhone('+49 30 123456'), { problem: 'notMobile' });
  assert.deepEqual(normalizePhone('hello'), { problem: 'invalid' });
  assert.deepEqual(normalizePhone('+0 123'), { problem: 'invalid' });
  assert.deepEqual(normalizePhone('+1234567890123456'), { problem: 'invalid' });
  assert.deepEqual(normalizePhone(''), { problem: 'invalid' });
});

test('a masked number keeps the network prefix and the last two digits only', () => {
  assert.equal(maskPhone('+4915123456789'), '+49 151 ••••• 89');
  assert.equal(maskPhone('+436641234567'), '+436 ••••• 67');
});
