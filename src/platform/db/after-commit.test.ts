import assert from 'node:assert/strict';
import { test } from 'node:test';
import { afterCommit, collectAfterCommit } from './after-commit.ts';

test('a hook waits for the commit and runs once', async () => {
  const seen: string[] = [];
  await collectAfterCommit(async () => {
    afterCommit(() => seen.push('hook'));
    seen.push('work');
  });
  assert.deepEqual(seen, ['work', 'hook']);
});

test('a rolled-back transaction runs no hook', async () => {
  const seen: string[] = [];
  await assert.rejects(
    collectAfterCommit(async () => {
      afterCommit(() => seen.push('hook'));
      throw new Error('rollback');
    }),
  );
  assert.deepEqual(seen, []);
});

test('outside a transaction the hook runs at once', () => {
  const seen: string[] = [];
  afterCommit(() => seen.push('hook'));
  assert.deepEqual(seen, ['hook']);
});
