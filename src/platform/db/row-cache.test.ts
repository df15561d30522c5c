import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChangeFeed, ChangeListener } from './change-feed.ts';
import { rowCache } from './row-cache.ts';

/** A feed the test drives: what the database would announce, and whether it listens. */
function drivenFeed() {
  const listeners = new Set<ChangeListener>();
  const feed = {
    live: true,
    subscribe(listener: ChangeListener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: async () => undefined,
    announce(topic: string | undefined) {
      for (const listener of listeners) listener(topic);
    },
  };
  return feed satisfies ChangeFeed;
}

/** A table of rows and how often it was read. */
function table(rows: Record<string, { name: string }>) {
  const reads: string[] = [];
  return {
    rows,
    reads,
    load: (key: string) => async () => {
      reads.push(key);
      const row = rows[key];
      return row && { ...row };
    },
  };
}

test('a second read is answered from memory; a change of the topic makes the next read go to the database', async () => {
  const feed = drivenFeed();
  const db = table({ a: { name: 'A' } });
  const cache = rowCache<{ name: string }>(feed, { topics: ['services'], maxEntries: 10 });
  assert.equal((await cache.read('a', db.load('a')))?.name, 'A');
  assert.equal((await cache.read('a', db.load('a')))?.name, 'A');
  assert.deepEqual(db.reads, ['a']);
  feed.announce('saml_keys');
  await cache.read('a', db.load('a'));
  assert.deepEqual(db.reads, ['a'], 'another table changed');
  db.rows.a = { name: 'A2' };
  feed.announce('services');
  assert.equal((await cache.read('a', db.load('a')))?.name, 'A2');
  assert.deepEqual(db.reads, ['a', 'a']);
});

test('an unknown key is remembered as absent until a row is added, and is then found at once', async () => {
  const feed = drivenFeed();
  const db = table({});
  const cache = rowCache<{ name: string }>(feed, { topics: ['services'], maxEntries: 10 });
  assert.equal(await cache.read('new', db.load('new')), undefined);
  assert.equal(await cache.read('new', db.load('new')), undefined);
  assert.deepEqual(db.reads, ['new']);
  db.rows.new = { name: 'New' };
  feed.announce('services');
  assert.equal((await cache.read('new', db.load('new')))?.name, 'New');
});

test('bounded: the least recently read entry goes first, and a flood of unknown keys does not push out known ones', async () => {
  const feed = drivenFeed();
  const db = table({ a: { name: 'A' }, b: { name: 'B' }, c: { name: 'C' } });
  const cache = rowCache<{ name: string }>(feed, { topics: ['services'], maxEntries: 2, maxAbsent: 3 });
  await cache.read('a', db.load('a'));
  await cache.read('b', db.load('b'));
  await cache.read('a', db.load('a'));
  await cache.read('c', db.load('c'));
  db.reads.length = 0;
  await cache.read('a', db.load('a'));
  await cache.read('b', db.load('b'));
  assert.deepEqual(db.reads, ['b'], 'b was the least recently read and went');
  for (let i = 0; i < 1000; i++) await cache.read(`random-${i}`, db.load(`random-${i}`));
  assert.equal(cache.size, 2 + 3);
  db.reads.length = 0;
  await cache.read('a', db.load('a'));
  assert.deepEqual(db.reads, [], 'the known row stayed');
});

test('while the feed is not live every read goes to the database and nothing is kept', async () => {
  const feed = drivenFeed();
  const db = table({ a: { name: 'A' } });
  const cache = rowCache<{ name: string }>(feed, { topics: ['services'], maxEntries: 10 });
  await cache.read('a', db.load('a'));
  feed.live = false;
  feed.announce(undefined);
  db.rows.a = { name: 'A2' };
  assert.equal((await cache.read('a', db.load('a')))?.name, 'A2');
  assert.equal((await cache.read('a', db.load('a')))?.name, 'A2');
  assert.equal(cache.size, 0);
  assert.deepEqual(db.reads, ['a', 'a', 'a']);
  feed.live = true;
  feed.announce(undefined);
  await cache.read('a', db.load('a'));
  await cache.read('a', db.load('a'));
  assert.deepEqual(db.reads, ['a', 'a', 'a', 'a']);
});

test('a row read before a change and returned after it is not kept (it may be the old row)', async () => {
  const feed = drivenFeed();
  const cache = rowCache<{ name: string }>(feed, { topics: ['services'], maxEntries: 10 });
  let loads = 0;
  const stale = await cache.read('a', async () => {
    loads++;
    feed.announce('services');
    return { name: 'old' };
  });
  assert.equal(stale?.name, 'old');
  const fresh = await cache.read('a', async () => {
    loads++;
    return { name: 'new' };
  });
  assert.equal(fresh?.name, 'new');
  assert.equal(loads, 2);
});

test('an entry is a frozen snapshot: a caller cannot change it for the next one', async () => {
  const feed = drivenFeed();
  const cache = rowCache<{ name: string; uris: string[] }>(feed, { topics: ['services'], maxEntries: 10 });
  const first = await cache.read('a', async () => ({ name: 'A', uris: ['https://a.example/cb'] }));
  assert.throws(() => first?.uris.push('https://evil.example/cb'), TypeError);
  assert.throws(() => {
    if (first) first.name = 'changed';
  }, TypeError);
  const second = await cache.read('a', async () => undefined);
  assert.deepEqual(second, { name: 'A', uris: ['https://a.example/cb'] });
});
