import { test } from 'node:test';
import assert from 'node:assert/strict';
import { systemClock } from '../platform/clock.ts';
import { auditLog } from './audit-log.ts';
import { migratedDatabase } from '../../test/helpers/db-template.ts';

test('concurrent appends keep one chain, and an edited row is detected', async () => {
  const db = await migratedDatabase();
  const audit = auditLog(systemClock);
  await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      audit.record(db, {
        actor: 'system',
        action: 'test',
        subject: `n:${i}`,
        outcome: 'success',
        details: { i, b: true },
      }),
    ),
  );
  const prevs = await db.query<{ prev_hash: string }>('SELECT prev_hash FROM audit_events');
  assert.equal(new Set(prevs.rows.map((r) => r.prev_hash)).size, 20, 'no two rows share a predecessor');
  assert.equal(await audit.verify(db), undefined);
  await db.query("UPDATE audit_events SET actor = 'mallory' WHERE id = 7");
  assert.equal(await audit.verify(db), 7);
  await db.close();
});

test('an account event names the account as actor and subject, and keeps the chain', async () => {
  const db = await migratedDatabase();
  const audit = auditLog(systemClock);
  const id = '00000000-0000-4000-8000-000000000001';
  await audit.account(db, id, 'profile.updated');
  await audit.accountFailure(db, id, 'recovery.eid', { reason: 'card_blocked' });
  const rows = await db.query<{ actor: string; subject: string; outcome: string; details: Record<string, string> }>(
    'SELECT actor, subject, outcome, details FROM audit_events ORDER BY id',
  );
  assert.deepEqual(rows.rows, [
    { actor: `account:${id}`, subject: `account:${id}`, outcome: 'success', details: {} },
    { actor: `account:${id}`, subject: `account:${id}`, outcome: 'failure', details: { reason: 'card_blocked' } },
  ]);
  assert.equal(await audit.verify(db), undefined);
  await db.close();
});

test('several events appended at once follow each other in the chain, in the order given', async () => {
  const db = await migratedDatabase();
  const audit = auditLog(systemClock);
  await audit.record(db, { actor: 'system', action: 'first', outcome: 'success' });
  await audit.recordAll(db, [
    { actor: 'system', action: 'second', outcome: 'success', details: { n: 2 } },
    // Hashed in the database (SHA-256 over UTF-8) and checked here: characters beyond ASCII, quotes, key order.
    {
      actor: 'system',
      action: 'third',
      subject: 'service:Straße "€" 😀',
      outcome: 'success',
      details: { z: 'ä', a: 1 },
    },
  ]);
  const rows = await db.query<{ action: string; prev_hash: string; hash: string }>(
    'SELECT action, prev_hash, hash FROM audit_events ORDER BY id',
  );
  assert.deepEqual(
    rows.rows.map((r) => r.action),
    ['first', 'second', 'third'],
  );
  assert.equal(rows.rows[1]?.prev_hash, rows.rows[0]?.hash);
  assert.equal(rows.rows[2]?.prev_hash, rows.rows[1]?.hash);
  assert.equal(await audit.verify(db), undefined);
  await db.query("UPDATE audit_events SET details = '{\"n\": 3}' WHERE action = 'second'");
  assert.equal(await audit.verify(db), 2);
  await db.close();
});

test('a row that does not extend the chain is refused, whoever writes it', async () => {
  // Migration 0015: an instance still on the advisory lock, or psql, cannot fork the chain.
  const db = await migratedDatabase();
  const audit = auditLog(systemClock);
  await audit.record(db, { actor: 'system', action: 'first', outcome: 'success' });
  await assert.rejects(
    db.query(
      `INSERT INTO audit_events (actor, action, outcome, prev_hash, hash) VALUES ('system', 'forked', 'success', 'genesis', 'x')`,
    ),
    /does not extend the chain/,
  );
  await audit.record(db, { actor: 'system', action: 'second', outcome: 'success' });
  assert.equal(await audit.verify(db), undefined);
  await db.close();
});
