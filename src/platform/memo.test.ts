import { test } from 'node:test';
import assert from 'node:assert/strict';
import { memoByString } from './memo.ts';

test('a remembered input is not computed again; the oldest leaves when the bound is reached', () => {
  const made: string[] = [];
  const upper = memoByString(2, (s) => {
    made.push(s);
    return s.toUpperCase();
  });
  assert.equal(upper('a'), 'A');
  assert.equal(upper('a'), 'A');
  assert.equal(upper('b'), 'B');
  assert.equal(upper('c'), 'C');
  assert.deepEqual(made, ['a', 'b', 'c']);
  upper('b');
  upper('a');
  assert.deepEqual(made, ['a', 'b', 'c', 'a'], 'a was evicted, b was not');
});

test('a failing computation is not remembered', () => {
  let calls = 0;
  const parse = memoByString(4, (s) => {
    calls++;
    if (s === 'bad') throw new Error('bad');
    return s.length;
  });
  assert.throws(() => parse('bad'));
  assert.throws(() => parse('bad'));
  assert.equal(calls, 2);
});
