import { test } from 'node:test';
import assert from 'node:assert/strict';
import { missingFlags } from './runtime-settings.ts';

test('a plain `node src/main.ts` misses every flag', () => {
  assert.deepEqual(missingFlags({ execArgv: [], env: {} }), ['--max-semi-space-size=4', '--optimize-for-size']);
});

test('after the re-execution nothing is missing, so the process does not execute itself again', () => {
  assert.deepEqual(missingFlags({ execArgv: ['--max-semi-space-size=4', '--optimize-for-size'], env: {} }), []);
});

test("an operator's own flags win: on the command line, in NODE_OPTIONS, a flag turned off", () => {
  const execArgv = ['--no-optimize-for-size'];
  assert.deepEqual(
    missingFlags({ execArgv, env: { NODE_OPTIONS: '--enable-source-maps --max-semi-space-size=16' } }),
    [],
  );
  assert.deepEqual(missingFlags({ execArgv, env: {} }), ['--max-semi-space-size=4']);
});
