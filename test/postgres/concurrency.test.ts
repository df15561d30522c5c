import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { auditLog } from '../../src/audit/audit-log.ts';
import { loginThrottle, perAccount, perAddress, perNameAndAddress } from '../../src/methods/password/throttle.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import type { Database } from '../../src/platform/db/database.ts';
import { migrate } from '../../src/platform/db/migrate.ts';
import { createPostgresDatabase } from '../../src/platform/db/postgres.ts';
import { createScratchDatabase, dropScratchDatabase } from '../e2e/helpers/server.ts';
import { checkKnownAddress, floodWithNewNames } from '../helpers/login-flood.ts';

/** What only a real PostgreSQL with several connections can show: races between parallel requests. */
describe('parallel writers on PostgreSQL', () => {
  let scratch: { name: string; url: string };
  let db: Database;
  before(async () => {
    scratch = await createScratchDatabase();
    db = createPostgresDatabase(scratch.url);
    // Two instances migrating at once: the advisory lock lets one do it.
    const other = createPostgresDatabase(scratch.url);
    await Promise.all([migrate(db), migrate(other)]);
    await other.close();
  });
  after(async () => {
    await db?.close();
    if (scratch) await dropScratchDatabase(scratch.name);
  });

  test('40 parallel guesses: only the free attempts and the one that sets the delay get through', async () => {
    const throttle = loginThrottle(db, fixedClock(new Date()));
    const results = await Promise.allSettled(
      Array.from({ length: 40 }, () => throttle.attempt([{ key: 'login:test', policy: perNameAndAddress }])),
    );
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, perNameAndAddress.free + 1);
  });

  test('60 parallel logins on overlapping keys, listed in different orders: no deadlock, each key counts each attempt once', async () => {
    const throttle = loginThrottle(db, fixedClock(new Date()));
    const attempts = Array.from({ length: 60 }, (_, i) => {
      const keys = [
        { key: `login:name-${i % 3}:addr`, policy: perNameAndAddress },
        { key: 'login:addr', policy: { ...perAddress, free: 1000 } },
        { key: `login:account-${i % 2}`, policy: { ...perAccount, free: 1000 } },
      ];
      return throttle.attempt(i % 2 === 0 ? keys : keys.reverse());
    });
    const results = await Promise.allSettled(attempts);
    const failures = results.flatMap((r) => (r.status === 'rejected' ? [String((r.reason as Error).message)] : []));
    assert.ok(
      failures.every((m) => !/deadlock/i.test(m)),
      failures.join('; '),
    );
    // A delayed key refuses the whole attempt: it counts on none of its keys (issue 13 §3), not even the shared ones
    // never delayed.
    const counts = await db.query<{ key: string; count: number }>(
      "SELECT key, count FROM rate_counters WHERE key LIKE 'login:%' ORDER BY key",
    );
    const byKey = Object.fromEntries(counts.rows.map((r) => [r.key, Number(r.count)]));
    assert.equal(
      byKey['login:addr'],
      3 * (perNameAndAddress.free + 1),
      'the shared address key counted only the attempts its names let through',
    );
    assert.equal((byKey['login:account-0'] ?? 0) + (byKey['login:account-1'] ?? 0), 3 * (perNameAndAddress.free + 1));
    for (const n of [0, 1, 2])
      assert.equal(
        byKey[`login:name-${n}:addr`],
        perNameAndAddress.free + 1,
        `name ${n}: the free attempts and the one that set the delay`,
      );
  });

  test('a throttled client adds no rows: ever new names from one address, 20 at a time, leave a bounded number', async () => {
    await db.query('DELETE FROM rate_counters');
    const { rows, bound } = await floodWithNewNames(db, fixedClock(new Date()), 400, 20);
    assert.ok(rows <= bound, `${rows} rows, at most ${bound} expected`);
  });

  test('a success can mark an address as known; keys waived by it neither count nor refuse', async () => {
    await checkKnownAddress(db, fixedClock(new Date()));
  });

  test('parallel audit appends keep one unbroken chain', async () => {
    const audit = auditLog(fixedClock(new Date()));
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        audit.record(db, { actor: 'system', action: 'test', subject: `n:${i}`, outcome: 'success' }),
      ),
    );
    assert.equal(await audit.verify(db), undefined);
  });

  test("two instances appending several events at once keep one chain, and the head is the newest row's hash", async () => {
    // Issue 16: the lock on the chain's head (migration 0015) returns the hash a waiting append left behind.
    const audit = auditLog(fixedClock(new Date()));
    const other = createPostgresDatabase(scratch.url);
    try {
      await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          audit.recordAll(i % 2 ? db : other, [
            { actor: 'system', action: 'first', subject: `n:${i}`, outcome: 'success' },
            { actor: 'system', action: 'second', subject: `n:${i}`, outcome: 'success' },
          ]),
        ),
      );
    } finally {
      await other.close();
    }
    assert.equal(await audit.verify(db), undefined);
    const head = await db.query<{ same: boolean }>(
      'SELECT (SELECT hash FROM audit_chain_head) = (SELECT hash FROM audit_events ORDER BY id DESC LIMIT 1) AS same',
    );
    assert.equal(head.rows[0]?.same, true);
  });
});
