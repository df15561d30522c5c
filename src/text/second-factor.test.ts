import { test } from 'node:test';
import assert from 'node:assert/strict';
import { secondFactor } from './second-factor.ts';

test('the step-up texts offer a choice of factors, not "the strongest" one', () => {
  for (const { de, en } of Object.values(secondFactor)) {
    assert.doesNotMatch(de, /stärkste/);
    assert.doesNotMatch(en, /strongest/);
  }
  assert.match(secondFactor['stepUp.whyAccount'].de, /mit einem Ihrer zweiten Faktoren/);
});
