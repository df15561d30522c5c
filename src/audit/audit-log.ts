import { createHash } from 'node:crypto';
import type { Clock } from '../platform/clock.ts';
import type { Database, Queryable } from '../platform/db/database.ts';
import { runPieces } from '../platform/db/statement-pieces.ts';
import { auditRepository } from './audit-repository.ts';

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

/**
 * Append-only audit log; each row carries the hash of the previous one so a
 * removed or edited row breaks the chain (DESIGN.md §5a).
 */
export function auditLog(clock: Clock) {
  /**
   * What an event's hash covers, after its predecessor's hash: the JSON array [prev, at, actor, action, subject,
   * outcome, details] without its opening bracket and first element. The append computes the hash in the database
   * from this text (audit-repository.ts `appendPiece`); `verify` from the whole array, which is the same text.
   */
  const hashedAfterPrev = (at: Date, e: AuditEvent): string =>
    JSON.stringify([
      at.toISOString(),
      e.actor,
      e.action,
      e.subject ?? null,
      e.outcome,
      // Keys sorted: jsonb does not keep the order they were written in.
      Object.entries(e.details ?? {}).sort(([a], [b]) => (a < b ? -1 : 1)),
    ]).slice(1);
  const hashOf = (prev: string, at: Date, e: AuditEvent): string =>
    createHash('sha256')
      .update(`[${JSON.stringify(prev)},${hashedAfterPrev(at, e)}`)
      .digest('hex');

  /**
   * Appends the events in order, chained one to the next, in one statement: the chain's head locked and read, so
   * appends follow each other and the chain has no forks, and the rows inserted (issue 16: one round trip, from
   * three).
   */
  async function append(tx: Queryable, events: readonly AuditEvent[]): Promise<void> {
    if (events.length === 0) return;
    await runPieces(tx, [appendPiece(tx, events)]);
  }

  /** The append of `events` as a piece of a caller's statement, written only when `guard` holds (see append). */
  function appendPiece(db: Queryable, events: readonly AuditEvent[], guard?: string) {
    // Millisecond precision: what PostgreSQL stores must hash the same when checked.
    const at = new Date(Math.floor(clock.now().getTime()));
    const rows = events.map((event) => ({
      at,
      actor: event.actor,
      action: event.action,
      subject: event.subject ?? null,
      outcome: event.outcome,
      details: JSON.stringify(event.details ?? {}),
      hashedAfterPrev: hashedAfterPrev(at, event),
    }));
    return auditRepository(db).appendPiece(rows, guard);
  }

  async function recordAll(db: Queryable | Database, events: readonly AuditEvent[]): Promise<void> {
    if ('transaction' in db) return db.transaction((tx) => append(tx, events));
    return append(db, events);
  }
  const record = (db: Queryable | Database, event: AuditEvent) => recordAll(db, [event]);
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
     * of its own: the lock on the chain's head that keeps it linear lasts only
     * as long as a transaction.
     */
    record,
    /**
     * Several events of one change (a login and the service it went to), in
     * this order; within a transaction, appended last, since the lock that
     * keeps the chain linear waits for every other append until the commit.
     */
    recordAll,
    /**
     * The append as a piece of the caller's own statement (platform/db/statement-pieces.ts), for a change that is
     * one statement: it needs no transaction around it, since a statement is one. `guard` (SQL over the earlier
     * pieces' CTEs) appends only when the change happened. At least one event.
     */
    appendPiece,
    /** Re-computes the chain; returns the id of the first broken row, or undefined when intact. */
    async verify(db: Queryable): Promise<number | undefined> {
      let prev = 'genesis';
      for (const r of await auditRepository(db).all()) {
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
