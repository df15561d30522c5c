import {
  accountColumns,
  loginMatch,
  toAccount,
  type Account,
  type AccountRow,
} from '../../identity/account-repository.ts';
import type { Queryable } from '../../platform/db/database.ts';
import type { StatementPiece } from '../../platform/db/statement-pieces.ts';

/** The password is one authentication means of kind `password` (DESIGN.md §5a); it reaches level niedrig. */
export function passwordStore(db: Queryable) {
  return {
    /**
     * The account a login name names, with its password hash, in one
     * statement: a known and an unknown name cost the same round trip before
     * argon2 runs for both (equal timing for unknown accounts).
     */
    async candidate(identifier: string): Promise<{ account: Account; hash: string | undefined } | undefined> {
      const result = await db.query<AccountRow & { secret: string | null }>(
        `SELECT ${accountColumns
          .split(', ')
          .map((c) => `a.${c}`)
          .join(', ')}, m.secret FROM accounts a
         LEFT JOIN authentication_means m ON m.account_id = a.id AND m.kind = 'password' AND m.blocked_at IS NULL
         WHERE a.id = (SELECT id FROM accounts WHERE ${loginMatch} LIMIT 1)`,
        [identifier],
      );
      const row = result.rows[0];
      return row ? { account: toAccount(row), hash: row.secret ?? undefined } : undefined;
    },
    async hashFor(accountId: string): Promise<string | undefined> {
      const result = await db.query<{ secret: string }>(
        "SELECT secret FROM authentication_means WHERE account_id = $1 AND kind = 'password' AND blocked_at IS NULL",
        [accountId],
      );
      return result.rows[0]?.secret;
    },
    async set(accountId: string, hash: string, tx: Queryable = db): Promise<void> {
      await tx.query(
        `INSERT INTO authentication_means (account_id, kind, secret, level) VALUES ($1, 'password', $2, 2)
         ON CONFLICT (account_id) WHERE kind = 'password' DO UPDATE SET secret = EXCLUDED.secret, created_at = now()`,
        [accountId, hash],
      );
    },
  };
}

/**
 * A login's use of the password, with the new hash when the stored one used
 * weaker parameters (as `set` stores it): one piece of the statement that
 * starts the session (issue 16), one CTE, since one statement cannot write
 * the row twice.
 */
export function passwordUsedPiece(accountId: string, at: Date, rehashed?: string): StatementPiece<never> {
  return {
    ctes: (bind) =>
      `password_used AS (
         UPDATE authentication_means SET last_used_at = ${bind(at)}${
           rehashed === undefined ? '' : `, secret = ${bind(rehashed)}, created_at = now()`
         }
          WHERE account_id = ${bind(accountId)} AND kind = 'password')`,
  };
}

export type PasswordStore = ReturnType<typeof passwordStore>;
