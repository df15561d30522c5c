import type { Queryable } from '../../platform/db/database.ts';

/** When an account's holder accepted the terms of use, and which version (migration 0010). */
export function termsRepository(db: Queryable) {
  return {
    async recordAcceptance(accountId: string, version: string, at: Date): Promise<void> {
      await db.query('UPDATE accounts SET terms_accepted_at = $2, terms_version = $3 WHERE id = $1', [
        accountId,
        at,
        version,
      ]);
    },
    async acceptanceOf(accountId: string): Promise<{ at: Date; version: string } | undefined> {
      const result = await db.query<{ terms_accepted_at: Date | null; terms_version: string | null }>(
        'SELECT terms_accepted_at, terms_version FROM accounts WHERE id = $1',
        [accountId],
      );
      const row = result.rows[0];
      if (!row?.terms_accepted_at || !row.terms_version) return undefined;
      return { at: row.terms_accepted_at, version: row.terms_version };
    },
  };
}
