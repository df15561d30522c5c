import type { Queryable } from '../platform/db/database.ts';
import type { StatementPiece } from '../platform/db/statement-pieces.ts';

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

/** A row to append: the event's columns and the text its hash covers after its predecessor's hash. */
export interface AppendRow {
  at: Date;
  actor: string;
  action: string;
  subject: string | null;
  outcome: 'success' | 'failure';
  /** JSON text. */
  details: string;
  hashedAfterPrev: string;
}

/** The append-only `audit_events` table; the chain's rules live in audit-log.ts. */
export function auditRepository(db: Queryable) {
  return {
    /**
     * Appends the rows in the order given, chained, as a piece of one statement (platform/db/statement-pieces.ts):
     *
     * - `audit_head` locks the chain's head until the transaction ends and answers its hash (`genesis` before the
     *   first row, made then): in READ COMMITTED the row INSERT … ON CONFLICT DO UPDATE locks is the newest version,
     *   the one an append it waited for left (migration 0015);
     * - each `audit_linkN` computes its row's hash from its predecessor's: SHA-256 over `["<prev>",` and the rest
     *   of the event's JSON (`hashedAfterPrev`, made by audit-log.ts, which holds the chain's rules and checks
     *   them with the same text);
     * - one INSERT adds them in order (their ids follow it), each extending the head (the trigger of migration
     *   0015 moves it and refuses a fork).
     *
     * One round trip for lock, read and insert (issue 16), where it took two, and the caller's other pieces can
     * share it. The hashes are hex or `genesis`, so quoting them needs no JSON escaping.
     *
     * `guard`: an SQL condition over earlier pieces' CTEs (saml/login/answer-repository.ts): when false, the head
     * is neither made nor locked and nothing is appended.
     */
    appendPiece(rows: readonly AppendRow[], guard = 'true'): StatementPiece<never> {
      return {
        ctes(bind) {
          const links = rows.map(
            (row, i) =>
              `audit_link${i} AS (SELECT hash AS prev,
                 encode(sha256(convert_to('["' || hash || '",' || ${bind(row.hashedAfterPrev)}::text, 'UTF8')), 'hex') AS hash
                 FROM ${i === 0 ? 'audit_head' : `audit_link${i - 1}`})`,
          );
          const selects = rows.map(
            (row, i) =>
              `SELECT ${i} AS n, ${bind(row.at)}::timestamptz AS at, ${bind(row.actor)}::text AS actor,
                 ${bind(row.action)}::text AS action, ${bind(row.subject)}::text AS subject,
                 ${bind(row.outcome)}::text AS outcome, ${bind(row.details)}::jsonb AS details, prev, hash
                 FROM audit_link${i}`,
          );
          return [
            `audit_head AS (INSERT INTO audit_chain_head (hash) SELECT 'genesis' WHERE ${guard}
               ON CONFLICT (one) DO UPDATE SET hash = audit_chain_head.hash RETURNING hash)`,
            ...links,
            `audit_appended AS (INSERT INTO audit_events (at, actor, action, subject, outcome, details, prev_hash, hash)
               SELECT at, actor, action, subject, outcome, details, prev, hash
                 FROM (${selects.join('\n UNION ALL ')}) AS audit_rows ORDER BY n)`,
          ].join(',\n');
        },
      };
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
