import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openChangeFeed } from './change-feed.ts';
import type { ListenEvents, Listening } from './database.ts';

/** A database whose LISTEN sessions the test opens, refuses and cuts. */
function scriptedDatabase() {
  const sessions: ListenEvents[] = [];
  let refuse = 0;
  return {
    sessions,
    refuseNext(times: number) {
      refuse = times;
    },
    async listen(_channel: string, events: ListenEvents): Promise<Listening> {
      if (refuse > 0) {
        refuse--;
        throw new Error('connection refused');
      }
      sessions.push(events);
      return { ping: async () => undefined, close: async () => undefined };
    },
  };
}

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('not live until a LISTEN is in place; a lost session makes it forget everything until it listens again', async () => {
  const db = scriptedDatabase();
  db.refuseNext(2);
  const feed = await openChangeFeed(db, { retryMs: 5, warn: () => undefined });
  const heard: (string | undefined)[] = [];
  feed.subscribe((topic) => heard.push(topic));
  assert.equal(feed.live, false, 'the database refused the first attempt');
  await settle(100);
  assert.equal(feed.live, true, 'retried until it listened');
  assert.equal(heard.at(-1), undefined, 'told to start empty once it listened');
  heard.length = 0;

  db.sessions.at(-1)?.notified('services');
  assert.deepEqual(heard, ['services']);

  db.refuseNext(1);
  db.sessions.at(-1)?.lost(new Error('terminating connection due to administrator command'));
  assert.equal(feed.live, false, 'not live from the moment the loss is known');
  assert.deepEqual(heard, ['services', undefined]);
  // A late notification of the lost session is not passed on as if it were live.
  db.sessions.at(-2)?.notified('saml_keys');
  await settle(100);
  assert.equal(feed.live, true);
  assert.equal(heard.at(-1), undefined, 'emptied again when back');
  assert.ok(!heard.includes('saml_keys'));
  await feed.close();
  assert.equal(feed.live, false);
});

test('a heartbeat that gets no answer counts as a loss', async () => {
  const sessions: ListenEvents[] = [];
  let answer = true;
  const feed = await openChangeFeed(
    {
      async listen(_channel, events) {
        sessions.push(events);
        return {
          ping: () => (answer ? Promise.resolve() : new Promise<void>(() => undefined)),
          close: async () => undefined,
        };
      },
    },
    { heartbeatMs: 20, retryMs: 1_000, warn: () => undefined },
  );
  assert.equal(feed.live, true);
  answer = false;
  await settle(100);
  assert.equal(feed.live, false, 'a silent connection is given up');
  await feed.close();
});
