import type { Queryable } from '../platform/db/database.ts';
import type { Language } from '../text/index.ts';

/** An account that was just marked as warned: what its mail needs. */
export interface WarnedAccount {
  id: string;
  username: string;
  email: string;
  language: Language;
  lastActiveAt: Date;
  /** The earliest the deletion may come: the mail names this day. */
  deleteFrom: Date;
}

/** One warning step: which warning it is and how the months count (identity/inactivity.ts). */
export interface WarningStep {
  /** 1 or 2: the warning this step sends; the account must have had the one before. */
  warning: 1 | 2;
  /** Unused this many months at least. */
  unusedMonths: number;
  /** The warning before went out this many months ago at least (0 for the first). */
  sinceLastWarningMonths: number;
  /** Months until the deletion that this mail announces. */
  leadMonths: number;
  deleteAfterMonths: number;
}

/** The inactivity columns as stored (migration 0012). */
export interface InactivityState {
  last_active_at: Date;
  inactivity_warnings: number;
  inactivity_warned_at: Date | null;
}

interface WarnedRow {
  id: string;
  username: string;
  email: string;
  language: Language;
  last_active_at: Date;
  delete_from: Date;
}

/**
 * The inactivity columns of `accounts` (migration 0012). Every statement locks the rows it takes with SKIP LOCKED
 * and checks the state again as it writes, so two instances never take one account twice (DESIGN.md §5).
 */
export function inactivityRepository(db: Queryable) {
  return {
    /**
     * Marks up to `limit` accounts due for this warning as warned and returns them; the caller queues their mails
     * in the same transaction, so a mail exists exactly when the mark does.
     */
    async markWarned(now: Date, step: WarningStep, limit: number): Promise<WarnedAccount[]> {
      const result = await db.query<WarnedRow>(
        `UPDATE accounts SET inactivity_warnings = $2::smallint, inactivity_warned_at = $1
          WHERE inactivity_warnings = $2::smallint - 1 AND id IN (
            SELECT id FROM accounts
             WHERE inactivity_warnings = $2::smallint - 1
               AND last_active_at <= $1::timestamptz - make_interval(months => $3::int)
               AND (inactivity_warned_at IS NULL OR inactivity_warned_at <= $1::timestamptz - make_interval(months => $4::int))
             ORDER BY last_active_at LIMIT $7 FOR UPDATE SKIP LOCKED)
          RETURNING id, username, email, language, last_active_at,
            greatest(last_active_at + make_interval(months => $5::int), $1::timestamptz + make_interval(months => $6::int)) AS delete_from`,
        [
          now,
          step.warning,
          step.unusedMonths,
          step.sinceLastWarningMonths,
          step.deleteAfterMonths,
          step.leadMonths,
          limit,
        ],
      );
      return result.rows.map((row) => ({
        id: row.id,
        username: row.username,
        email: row.email,
        language: row.language,
        lastActiveAt: row.last_active_at,
        deleteFrom: row.delete_from,
      }));
    },
    /** What the account export lists (identity/export.ts): the last use and the warnings sent since. */
    async stateOf(accountId: string): Promise<InactivityState | undefined> {
      const result = await db.query<InactivityState>(
        'SELECT last_active_at, inactivity_warnings, inactivity_warned_at FROM accounts WHERE id = $1',
        [accountId],
      );
      return result.rows[0];
    },
    /**
     * Locks up to `limit` accounts due for deletion: unused `deleteAfterMonths`, and the second warning at least
     * `leadMonths` old (the time it promised). Call in the transaction that deletes them.
     */
    async lockDue(now: Date, deleteAfterMonths: number, leadMonths: number, limit: number): Promise<string[]> {
      const result = await db.query<{ id: string }>(
        `SELECT id FROM accounts
          WHERE inactivity_warnings = 2
            AND last_active_at <= $1::timestamptz - make_interval(months => $2::int)
            AND inactivity_warned_at <= $1::timestamptz - make_interval(months => $3::int)
          ORDER BY last_active_at LIMIT $4 FOR UPDATE SKIP LOCKED`,
        [now, deleteAfterMonths, leadMonths, limit],
      );
      return result.rows.map((row) => row.id);
    },
  };
}
