import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixedClock } from '../../platform/clock.ts';
import type { Queryable } from '../../platform/db/database.ts';
import { checkKnownAddress, floodWithNewNames } from '../../../test/helpers/login-flood.ts';
import { delayAfter, loginThrottle, perAddress } from './throttle.ts';
import { migratedDatabase } from '../../../test/helpers/db-template.ts';

test('delays start after the free attempts and double up to the cap', () => {
  assert.deepEqual(
    [20, 21, 22, 23].map((n) => delayAfter(n, perAddress)),
    [0, 1, 2, 4],
  );
  assert.equal(delayAfter(100, perAddress), perAddress.maxDelay);
});

test('successful logins from one address never use up its budget; failures do', async () => {
  const db = await migratedDatabase();
  const throttle = loginThrottle(db, fixedClock(new Date('2026-11-27T10:00:00Z')));
  const key = 'login:ip:192.0.2.1';
  for (let i = 0; i < 50; i++) {
    await throttle.attempt([{ key, policy: perAddress }]);
    await throttle.refund([key]);
  }
  for (let i = 0; i < perAddress.free; i++) await throttle.attempt([{ key, policy: perAddress }]);
  await throttle.attempt([{ key, policy: perAddress }]);
  await assert.rejects(
    throttle.attempt([{ key, policy: perAddress }]),
    /rate_limited/,
    'the failure after the free ones is delayed',
  );
  await db.close();
});

test('a throttled client adds no rows: ever new names from one address leave a bounded number (PGlite)', async () => {
  const db = await migratedDatabase();
  const { rows, bound } = await floodWithNewNames(db, fixedClock(new Date('2026-11-27T10:00:00Z')), 400, 1);
  assert.ok(rows <= bound, `${rows} rows, at most ${bound} expected`);
  await db.close();
});

test('a refused attempt counts on none of its keys', async () => {
  const db = await migratedDatabase();
  const throttle = loginThrottle(db, fixedClock(new Date('2026-11-27T10:00:00Z')));
  const strict = { free: 0, maxDelay: 60 };
  await throttle.attempt([{ key: 'pair', policy: strict }]);
  await assert.rejects(
    throttle.attempt([
      { key: 'pair', policy: strict },
      { key: 'account', policy: perAddress },
    ]),
    /rate_limited/,
  );
  const rows = await db.query<{ key: string }>('SELECT key FROM rate_counters ORDER BY key');
  assert.deepEqual(
    rows.rows.map((r) => r.key),
    ['pair'],
    'the refused attempt made no counter for the account',
  );
  await db.close();
});

test('a key counted only while another is fresh: one source adds at most that many', async () => {
  const db = await migratedDatabase();
  const throttle = loginThrottle(db, fixedClock(new Date('2026-11-27T10:00:00Z')));
  const open = { free: 1000, maxDelay: 60 };
  for (let i = 0; i < 10; i++)
    await throttle.attempt([
      { key: 'source', policy: open },
      { key: 'shared', policy: open, countedWhile: { key: 'source', atMost: 3 } },
    ]);
  const rows = await db.query<{ key: string; count: number }>('SELECT key, count FROM rate_counters ORDER BY key');
  assert.deepEqual(
    rows.rows.map((r) => [r.key, Number(r.count)]),
    [
      ['shared', 3],
      ['source', 10],
    ],
  );
  await db.close();
});

test('a success can mark an address as known; keys waived by it neither count nor refuse', async () => {
  const db = await migratedDatabase();
  await checkKnownAddress(db, fixedClock(new Date('2026-11-27T10:00:00Z')));
  await db.close();
});

test("a success clears the login's own keys, refunds the shared ones and marks the address known, in one statement", async () => {
  const db = await migratedDatabase();
  const throttle = loginThrottle(db, fixedClock(new Date('2026-11-27T10:00:00Z')));
  const own = 'login:account:a';
  const shared = 'login:ip:192.0.2.1';
  const known = 'login:account:a:known:192.0.2.1';
  for (let i = 0; i < 3; i++)
    await throttle.attempt([
      { key: own, policy: perAddress },
      { key: shared, policy: perAddress },
    ]);
  const statements: string[] = [];
  const counted: Queryable = {
    query: <Row>(sql: string, params?: readonly unknown[]) => (statements.push(sql), db.query<Row>(sql, params)),
  };
  await throttle.succeeded([own], known, { refunded: [shared], tx: counted });
  assert.equal(statements.length, 1);
  const rows = await db.query<{ key: string; count: number; blocked: boolean }>(
    'SELECT key, count, blocked_until IS NOT NULL AS blocked FROM rate_counters ORDER BY key',
  );
  assert.deepEqual(rows.rows, [
    { key: known, count: 0, blocked: true },
    { key: shared, count: 2, blocked: false },
  ]);
  await db.close();
});
