import { createHash } from 'node:crypto';
import type { Clock } from '../platform/clock.ts';
import type { Database, Queryable } from '../platform/db/database.ts';

export interface AuditEvent {
  /** Who acted: `account:<id>`, `cli`, `system`, `anonymous`. */
  actor: string;
  /** What happened, e.g. `account.registered`, `login.failed`. */
  action: string;
  /** What it happened to, by id only (no personal data, DESIGN.md §7). */
  subject?: string;
  outcome: 'success' | 'failure';
  details?: Record<string, string | number | boolean>;
}

// One advisory lock serialises appends so the hash chain has no forks.
const auditLockId = 7_283_002;

/**
 * Append-only audit log; each row carries the hash of the previous one so a
 * removed or edited row breaks the chain (DESIGN.md §5a).
 */
export function auditLog(clock: Clock) {
  const hashOf = (prev: string, at: Date, e: AuditEvent): string =>
    createHash('sha256')
      // Keys sorted: jsonb does not keep the order they were written in.
      .update(
        JSON.stringify([
          prev,
          at.toISOString(),
          e.actor,
          e.action,
          e.subject ?? null,
          e.outcome,
          Object.entries(e.details ?? {}).sort(([a], [b]) => (a < b ? -1 : 1)),
        ]),
      )
      .digest('hex');

  async function append(tx: Queryable, event: AuditEvent): Promise<void> {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [auditLockId]);
    const last = await tx.query<{ hash: string }>('SELECT hash FROM audit_events ORDER BY id DESC LIMIT 1');
    const prev = last.rows[0]?.hash ?? 'genesis';
    // Millisecond precision: what PostgreSQL stores must hash the same when checked.
    const at = new Date(Math.floor(clock.now().getTime()));
    await tx.query(
      'INSERT INTO audit_events (at, actor, action, subject, outcome, details, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
      [
        at,
        event.actor,
        event.action,
        event.subject ?? null,
        event.outcome,
        JSON.stringify(event.details ?? {}),
        prev,
        hashOf(prev, at, event),
      ],
    );
  }

  async function record(db: Queryable | Database, event: AuditEvent): Promise<void> {
    if ('transaction' in db) return db.transaction((tx) => append(tx, event));
    return append(db, event);
  }
  const byAccount = (
    accountId: string,
    action: string,
    outcome: AuditEvent['outcome'],
    details?: AuditEvent['details'],
  ): AuditEvent => ({
    actor: `account:${accountId}`,
    action,
    subject: `account:${accountId}`,
    outcome,
    ...(details ? { details } : {}),
  });

  return {
    /** The citizen did something to their own account (actor and subject are the account). */
    account: (db: Queryable | Database, accountId: string, action: string, details?: AuditEvent['details']) =>
      record(db, byAccount(accountId, action, 'success', details)),
    /** The citizen tried something on their own account and it was refused. */
    accountFailure: (db: Queryable | Database, accountId: string, action: string, details?: AuditEvent['details']) =>
      record(db, byAccount(accountId, action, 'failure', details)),
    /**
     * Appends within the caller's transaction, so the event exists exactly
     * when the change does. Given the database itself, it opens a transaction
     * of its own: the advisory lock that keeps the chain linear lasts only as
     * long as a transaction.
     */
    record,
    /** Re-computes the chain; returns the id of the first broken row, or undefined when intact. */
    async verify(db: Queryable): Promise<number | undefined> {
      const rows = await db.query<{
        id: number;
        at: Date;
        actor: string;
        action: string;
        subject: string | null;
        outcome: 'success' | 'failure';
        details: Record<string, string | number | boolean>;
        prev_hash: string;
        hash: string;
      }>('SELECT id, at, actor, action, subject, outcome, details, prev_hash, hash FROM audit_events ORDER BY id');
      let prev = 'genesis';
      for (const r of rows.rows) {
        const event: AuditEvent = {
          actor: r.actor,
          action: r.action,
          outcome: r.outcome,
          details: r.details,
          ...(r.subject === null ? {} : { subject: r.subject }),
        };
        if (r.prev_hash !== prev || hashOf(prev, new Date(r.at), event) !== r.hash) return Number(r.id);
        prev = r.hash;
      }
      return undefined;
    },
  };
}

export type AuditLog = ReturnType<typeof auditLog>;
