import { test } from 'node:test';
import assert from 'node:assert/strict';
import { systemClock } from '../platform/clock.ts';
import { createPgliteDatabase } from '../platform/db/pglite.ts';
import { migrate } from '../platform/db/migrate.ts';
import { auditLog } from './audit-log.ts';

test('concurrent appends keep one chain, and an edited row is detected', async () => {
  const db = await createPgliteDatabase('memory://');
  await migrate(db);
  const audit = auditLog(systemClock);
  await Promise.all(Array.from({ length: 20 }, (_, i) => audit.record(db, { actor: 'system', action: 'test', subject: `n:${i}`, outcome: 'success', details: { i, b: true } })));
  const prevs = await db.query<{ prev_hash: string }>('SELECT prev_hash FROM audit_events');
  assert.equal(new Set(prevs.rows.map((r) => r.prev_hash)).size, 20, 'no two rows share a predecessor');
  assert.equal(await audit.verify(db), undefined);
  await db.query("UPDATE audit_events SET actor = 'mallory' WHERE id = 7");
  assert.equal(await audit.verify(db), 7);
  await db.close();
});
