import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sixDigitCode } from './code-format.ts';

test('six digits, with or without the spaces apps show, are a code; anything else is not', () => {
  assert.equal(sixDigitCode('123456'), '123456');
  assert.equal(sixDigitCode(' 123 456 '), '123456');
  for (const typed of ['', '12', '123', '12345', '1234567', '12345a', '１２３４５６'])
    assert.equal(sixDigitCode(typed), undefined, typed);
});
