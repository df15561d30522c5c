import type { Queryable } from '../platform/db/database.ts';

/** A stored audit event with its place in the hash chain (audit/audit-log.ts). */
export interface AuditRow {
  id: number;
  at: Date;
  actor: string;
  action: string;
  subject: string | null;
  outcome: 'success' | 'failure';
  details: Record<string, string | number | boolean>;
  prev_hash: string;
  hash: string;
}

/** The append-only `audit_events` table; the chain's rules live in audit-log.ts. */
export function auditRepository(db: Queryable) {
  return {
    /**
     * Locks the chain's head until the transaction ends and answers its hash
     * (`genesis` before the first row, made then): one statement, since in
     * READ COMMITTED the row ON CONFLICT DO UPDATE locks is the newest
     * version, the one an append it waited for left (migration 0015).
     */
    async lockHead(): Promise<string> {
      const head = await db.query<{ hash: string }>(
        `INSERT INTO audit_chain_head (hash) VALUES ('genesis')
         ON CONFLICT (one) DO UPDATE SET hash = audit_chain_head.hash RETURNING hash`,
      );
      return (head.rows[0] as { hash: string }).hash;
    },
    /**
     * Appends the rows in the order given (their ids follow that order), in one statement; each must extend the head,
     * which moves with it (the trigger of migration 0015).
     */
    async add(...rows: (Omit<AuditRow, 'id' | 'details'> & { details: string })[]): Promise<void> {
      if (rows.length === 0) return;
      const columns = 8;
      await db.query(
        `INSERT INTO audit_events (at, actor, action, subject, outcome, details, prev_hash, hash) VALUES ${rows
          .map((_, i) => `(${Array.from({ length: columns }, (_, c) => `$${i * columns + c + 1}`).join(', ')})`)
          .join(', ')}`,
        rows.flatMap((row) => [
          row.at,
          row.actor,
          row.action,
          row.subject,
          row.outcome,
          row.details,
          row.prev_hash,
          row.hash,
        ]),
      );
    },
    /**
     * The account's own successful logins, newest first: session starts (`login`, with method and level) and
     * logins handed to a service (`login.service`, the service in the subject). For the history on "Mein Konto".
     */
    async recentLogins(accountId: string, limit: number): Promise<AuditRow[]> {
      const rows = await db.query<AuditRow>(
        `SELECT id, at, actor, action, subject, outcome, details, prev_hash, hash FROM audit_events
          WHERE actor = $1 AND action IN ('login', 'login.service') AND outcome = 'success'
          ORDER BY id DESC LIMIT $2`,
        [`account:${accountId}`, limit],
      );
      return rows.rows;
    },
    /** Every row, oldest first. */
    async all(): Promise<AuditRow[]> {
      const rows = await db.query<AuditRow>(
        'SELECT id, at, actor, action, subject, outcome, details, prev_hash, hash FROM audit_events ORDER BY id',
      );
      return rows.rows;
    },
  };
}
