import assert from 'node:assert/strict';
import { test } from 'node:test';
import { coalescer } from './coalesced-statements.ts';

interface Write {
  name: string;
  rows: string[];
  bad?: boolean;
}

/** A coalescer over a fake statement that records its batches and fails for any batch holding a bad write. */
function recording(maxInFlight?: number) {
  const batches: string[][] = [];
  let open = 0;
  let mostOpen = 0;
  const writes = coalescer<Write, string>({
    keysOf: (write) => write.rows,
    maxInFlight,
    async runAll(items) {
      batches.push(items.map((item) => item.name));
      open++;
      mostOpen = Math.max(mostOpen, open);
      await new Promise((resolve) => setTimeout(resolve, 5));
      open--;
      if (items.some((item) => item.bad)) throw new Error(`bad batch ${items.map((item) => item.name).join(',')}`);
      return items.map((item) => `stored ${item.name}`);
    },
  });
  return { writes, batches, mostOpen: () => mostOpen };
}

test('issue 16: the writes of one turn go in one statement, each caller gets its own outcome', async () => {
  const { writes, batches } = recording();
  const outcomes = await Promise.all(['a', 'b', 'c'].map((name) => writes.submit({ name, rows: [name] })));
  assert.deepEqual(outcomes, ['stored a', 'stored b', 'stored c']);
  assert.deepEqual(batches, [['a', 'b', 'c']]);
});

test('issue 16: writes to the same row go in separate statements, in the order they came', async () => {
  const { writes, batches } = recording(1);
  await Promise.all([
    writes.submit({ name: 'first', rows: ['x'] }),
    writes.submit({ name: 'other', rows: ['y'] }),
    writes.submit({ name: 'second', rows: ['x', 'z'] }),
    writes.submit({ name: 'after-second', rows: ['z'] }),
  ]);
  assert.deepEqual(batches, [['first', 'other'], ['second'], ['after-second']]);
});

test('issue 16: a failing batch is tried again write by write; only the bad write fails', async () => {
  const { writes, batches } = recording();
  const results = await Promise.allSettled([
    writes.submit({ name: 'good', rows: ['a'] }),
    writes.submit({ name: 'bad', rows: ['b'], bad: true }),
    writes.submit({ name: 'fine', rows: ['c'] }),
  ]);
  assert.deepEqual(
    results.map((result) => (result.status === 'fulfilled' ? result.value : (result.reason as Error).message)),
    ['stored good', 'bad batch bad', 'stored fine'],
  );
  assert.deepEqual(batches[0], ['good', 'bad', 'fine']);
  assert.equal(batches.length, 4, 'the batch, then each write alone');
});

test('issue 16: while the statements allowed are under way, new writes wait and then go together', async () => {
  const { writes, batches, mostOpen } = recording(1);
  const first = writes.submit({ name: 'a', rows: ['a'] });
  await new Promise((resolve) => setImmediate(resolve));
  // The first statement is under way: these three wait for it and then share one.
  const later = ['b', 'c', 'd'].map((name) => writes.submit({ name, rows: [name] }));
  await Promise.all([first, ...later]);
  assert.deepEqual(batches, [['a'], ['b', 'c', 'd']]);
  assert.equal(mostOpen(), 1);
});
