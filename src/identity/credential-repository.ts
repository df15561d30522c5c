import type { Queryable } from '../platform/db/database.ts';

/** What an account can prove itself with, as far as the flows outside the methods ask. */
export function credentialRepository(db: Queryable) {
  return {
    /** Whether a card was ever linked (blocked or not) and whether a usable password is set. */
    async summary(accountId: string): Promise<{ eidLinked: boolean; hasPassword: boolean }> {
      const found = await db.query<{ linked: boolean; has_password: boolean }>(
        "SELECT EXISTS (SELECT 1 FROM eid_links WHERE account_id = $1) AS linked, EXISTS (SELECT 1 FROM authentication_means WHERE account_id = $1 AND kind = 'password' AND blocked_at IS NULL) AS has_password",
        [accountId],
      );
      const row = found.rows[0];
      return { eidLinked: row?.linked === true, hasPassword: row?.has_password === true };
    },
  };
}

export type CredentialRepository = ReturnType<typeof credentialRepository>;
