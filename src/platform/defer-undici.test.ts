import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';

/** Runs `code` as an ES module in a fresh process (undici, once loaded, stays loaded) and returns its output. */
function inFreshProcess(code: string): string {
  return execFileSync(process.execPath, ['--input-type=module', '-e', code], {
    cwd: import.meta.dirname,
    encoding: 'utf8',
  });
}

const undiciLoaded = "process.moduleLoadList.includes('NativeModule internal/deps/undici/undici')";

test('without it, an ES import of node:http loads undici (the reason for deferUndici)', () => {
  assert.equal(inFreshProcess(`await import('node:http'); console.log(${undiciLoaded});`).trim(), 'true');
});

test('after deferUndici, importing node:http leaves undici unloaded; http.WebSocket still loads it when read', () => {
  const output = inFreshProcess(`
    const { deferUndici } = await import('./defer-undici.ts');
    deferUndici();
    const http = (await import('node:http')).default;
    const { STATUS_CODES } = await import('node:http');
    console.log(${undiciLoaded}, STATUS_CODES[404]);
    console.log(typeof http.WebSocket, typeof http.MessageEvent, typeof http.CloseEvent, ${undiciLoaded});
    console.log(http.WebSocket === globalThis.WebSocket);
  `);
  assert.deepEqual(output.trim().split('\n'), ['false Not Found', 'function function function true', 'true']);
});
