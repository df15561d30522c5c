import type { Queryable } from '../../platform/db/database.ts';

/** The password is one authentication means of kind `password` (DESIGN.md §5a); it reaches level niedrig. */
export function passwordStore(db: Queryable) {
  return {
    async hashFor(accountId: string): Promise<string | undefined> {
      const result = await db.query<{ secret: string }>(
        "SELECT secret FROM authentication_means WHERE account_id = $1 AND kind = 'password' AND blocked_at IS NULL",
        [accountId],
      );
      return result.rows[0]?.secret;
    },
    async set(accountId: string, hash: string): Promise<void> {
      await db.query(
        `INSERT INTO authentication_means (account_id, kind, secret, level) VALUES ($1, 'password', $2, 2)
         ON CONFLICT (account_id) WHERE kind = 'password' DO UPDATE SET secret = EXCLUDED.secret, created_at = now()`,
        [accountId, hash],
      );
    },
    async markUsed(accountId: string, at: Date): Promise<void> {
      await db.query("UPDATE authentication_means SET last_used_at = $2 WHERE account_id = $1 AND kind = 'password'", [accountId, at]);
    },
  };
}

export type PasswordStore = ReturnType<typeof passwordStore>;
