import { test } from 'node:test';
import assert from 'node:assert/strict';
import { missingSettings } from './runtime-settings.ts';

test('a plain `node src/main.ts` misses every flag and variable', () => {
  const { flags, variables } = missingSettings({ execArgv: [], env: {} });
  assert.deepEqual(flags, ['--max-semi-space-size=4', '--optimize-for-size']);
  assert.deepEqual(variables, { MALLOC_MMAP_THRESHOLD_: '131072', MALLOC_ARENA_MAX: '2' });
});

test('after the re-execution nothing is missing, so the process does not execute itself again', () => {
  const { flags, variables } = missingSettings({
    execArgv: ['--max-semi-space-size=4', '--optimize-for-size'],
    env: { MALLOC_MMAP_THRESHOLD_: '131072', MALLOC_ARENA_MAX: '2' },
  });
  assert.deepEqual(flags, []);
  assert.deepEqual(variables, {});
});

test("an operator's own values win: command line, NODE_OPTIONS, a flag turned off, a variable set", () => {
  const { flags, variables } = missingSettings({
    execArgv: ['--no-optimize-for-size'],
    env: { NODE_OPTIONS: '--enable-source-maps --max-semi-space-size=16', MALLOC_ARENA_MAX: '4' },
  });
  assert.deepEqual(flags, []);
  assert.deepEqual(variables, { MALLOC_MMAP_THRESHOLD_: '131072' });
});
