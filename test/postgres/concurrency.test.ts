import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { auditLog } from '../../src/audit/audit-log.ts';
import { loginThrottle, perNameAndAddress } from '../../src/methods/password/throttle.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import type { Database } from '../../src/platform/db/database.ts';
import { migrate } from '../../src/platform/db/migrate.ts';
import { createPostgresDatabase } from '../../src/platform/db/postgres.ts';
import { createScratchDatabase, dropScratchDatabase } from '../e2e/helpers/server.ts';

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
    const results = await Promise.allSettled(Array.from({ length: 40 }, () => throttle.attempt([{ key: 'login:test', policy: perNameAndAddress }])));
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, perNameAndAddress.free + 1);
  });

  test('parallel audit appends keep one unbroken chain', async () => {
    const audit = auditLog(fixedClock(new Date()));
    await Promise.all(Array.from({ length: 30 }, (_, i) => audit.record(db, { actor: 'system', action: 'test', subject: `n:${i}`, outcome: 'success' })));
    assert.equal(await audit.verify(db), undefined);
  });
});
