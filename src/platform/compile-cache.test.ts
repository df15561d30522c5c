import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileCacheVariable } from './compile-cache.ts';

/** Runs `work` with os.tmpdir() pointing at a fresh directory (it reads TMPDIR on every call). */
function inFreshTmp(work: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'sk-cc-test-'));
  const before = process.env.TMPDIR;
  process.env.TMPDIR = dir;
  try {
    work(dir);
  } finally {
    if (before === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = before;
    rmSync(dir, { recursive: true, force: true });
  }
}

test("the operator's choice is left alone", () => {
  assert.deepEqual(compileCacheVariable({ NODE_COMPILE_CACHE: '/var/cache/sk' }), {});
  assert.deepEqual(compileCacheVariable({ NODE_DISABLE_COMPILE_CACHE: '1' }), {});
});

test('otherwise a directory of our own, closed to group and others', () => {
  inFreshTmp(() => {
    const { NODE_COMPILE_CACHE: directory } = compileCacheVariable({});
    assert.ok(directory);
    const { uid, mode } = statSync(directory);
    assert.equal(uid, process.getuid?.());
    assert.equal(mode & 0o777, 0o700);
  });
});

test('a directory others may write to is not used', () => {
  inFreshTmp(() => {
    const { NODE_COMPILE_CACHE: directory } = compileCacheVariable({});
    assert.ok(directory);
    chmodSync(directory, 0o777);
    assert.deepEqual(compileCacheVariable({}), {});
  });
});
