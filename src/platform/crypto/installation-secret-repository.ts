import type { Queryable } from '../db/database.ts';

/** The `installation_secrets` table (platform/crypto/installation-secrets.ts). */
export function installationSecretRepository(db: Queryable) {
  return {
    /** Stores the value unless the name has one already. */
    async addUnlessPresent(name: string, value: string): Promise<void> {
      await db.query('INSERT INTO installation_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [
        name,
        value,
      ]);
    },
    async valueOf(name: string): Promise<string | undefined> {
      const result = await db.query<{ value: string }>('SELECT value FROM installation_secrets WHERE name = $1', [
        name,
      ]);
      return result.rows[0]?.value;
    },
  };
}
