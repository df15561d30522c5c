import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mayStartAgain, missingSettings } from './runtime-settings.ts';

const ours = { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '33554432' };

test('a plain `node src/main.ts` misses every flag and variable', () => {
  assert.deepEqual(missingSettings({ execArgv: [], env: {} }), {
    flags: ['--max-semi-space-size=16'],
    variables: ours,
  });
});

test('after the re-execution nothing is missing, so the process does not execute itself again', () => {
  const execArgv = ['--max-semi-space-size=16'];
  assert.deepEqual(missingSettings({ execArgv, env: { ...ours } }), { flags: [], variables: {} });
});

test("an operator's own choices win: on the command line, in NODE_OPTIONS, a flag turned off, a variable set", () => {
  const env = { NODE_OPTIONS: '--enable-source-maps --max-semi-space-size=8', MALLOC_ARENA_MAX: '4' };
  assert.deepEqual(missingSettings({ execArgv: [], env }), {
    flags: [],
    variables: { MALLOC_MMAP_THRESHOLD_: '33554432' },
  });
  assert.deepEqual(missingSettings({ execArgv: ['--no-max-semi-space-size'], env: {} }).flags, []);
});

test('a process that started again after its one-off work does not do so a second time', () => {
  const before = process.env.SERVICEKONTO_STARTED_AGAIN;
  try {
    delete process.env.SERVICEKONTO_STARTED_AGAIN;
    assert.equal(mayStartAgain(), process.platform !== 'win32' && typeof process.execve === 'function');
    process.env.SERVICEKONTO_STARTED_AGAIN = '1';
    assert.equal(mayStartAgain(), false);
  } finally {
    if (before === undefined) delete process.env.SERVICEKONTO_STARTED_AGAIN;
    else process.env.SERVICEKONTO_STARTED_AGAIN = before;
  }
});
