import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { createMemoryTrim, memoryReducingCollect, startMemoryTrim } from './memory-trim.ts';

test('V8 gives its collection without a global gc, and running it returns memory', () => {
  const collect = memoryReducingCollect();
  assert.equal(typeof collect, 'function');
  assert.equal((globalThis as { gc?: unknown }).gc, undefined, 'gc is not exposed to every module');
  // Garbage that grows the heap, then a memory-reducing collection: the heap ends smaller than it was.
  const makeGarbage = () => Array.from({ length: 200_000 }, (_, i) => ({ i, text: `garbage ${i}` })).length;
  assert.equal(makeGarbage(), 200_000);
  const grown = process.memoryUsage().heapTotal;
  collect?.({ type: 'major', execution: 'sync', flavor: 'last-resort' });
  assert.ok(process.memoryUsage().heapTotal < grown, `heap ${process.memoryUsage().heapTotal} not below ${grown}`);
});

test('a trim runs once after requests and a quiet period, never under steady load, and at once on demand', () => {
  let clock = 0;
  const runs: string[] = [];
  const trim = createMemoryTrim({
    quietMs: 30_000,
    now: () => clock,
    collect: (options) => runs.push(`${options.type}/${options.flavor}`),
  });
  clock = 60_000;
  trim.checkQuiet();
  assert.deepEqual(runs, [], 'no requests since the start: nothing to give back');

  trim.trimNow();
  assert.deepEqual(runs, ['major/last-resort']);

  // Steady load: a request every second for two minutes, the timer checking all along.
  for (let i = 0; i < 120; i++) {
    clock += 1000;
    trim.activity();
    trim.checkQuiet();
  }
  assert.equal(runs.length, 1, 'no trim while requests keep coming');

  clock += 29_999;
  trim.checkQuiet();
  assert.equal(runs.length, 1, 'not before the quiet period is over');
  clock += 1;
  trim.checkQuiet();
  assert.equal(runs.length, 2, 'one trim when it is');
  clock += 120_000;
  trim.checkQuiet();
  assert.equal(runs.length, 2, 'and only one per quiet period');
});

test('the server’s requests count as activity; stop ends the timer', () => {
  let clock = 0;
  let runs = 0;
  const server = new EventEmitter();
  const trim = startMemoryTrim(server, { quietMs: 10_000, now: () => clock, collect: () => runs++ });
  server.emit('request');
  clock = 10_000;
  trim.checkQuiet();
  assert.equal(runs, 1);
  trim.stop();
});
