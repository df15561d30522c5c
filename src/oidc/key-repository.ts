import type { JWK } from 'jose';
import type { Queryable } from '../platform/db/database.ts';

/** The OIDC signing keys in `signing_keys` (oidc/keys.ts decides when they are made and retired). */
export function signingKeyRepository(db: Queryable) {
  return {
    /** Holds the lock until the transaction ends: one instance at a time generates keys. */
    async lock(lockId: number): Promise<void> {
      await db.query('SELECT pg_advisory_xact_lock($1)', [lockId]);
    },
    async activeAlgorithms(): Promise<string[]> {
      const result = await db.query<{ alg: string }>('SELECT alg FROM signing_keys WHERE retired_at IS NULL');
      return result.rows.map((r) => r.alg);
    },
    async retireActive(at: Date): Promise<void> {
      await db.query('UPDATE signing_keys SET retired_at = $1 WHERE retired_at IS NULL', [at]);
    },
    async insert(key: JWK & { kid: string }, createdAt: Date): Promise<void> {
      await db.query('INSERT INTO signing_keys (kid, alg, private_jwk, created_at) VALUES ($1, $2, $3, $4)', [
        key.kid,
        key.alg,
        JSON.stringify(key),
        createdAt,
      ]);
    },
    /** Active keys first, newest first, then the retired ones retired less than `graceSeconds` before `now`. */
    async published(now: Date, graceSeconds: number): Promise<JWK[]> {
      const result = await db.query<{ private_jwk: JWK }>(
        `SELECT private_jwk FROM signing_keys
     WHERE retired_at IS NULL OR retired_at > $1::timestamptz - make_interval(secs => $2)
     ORDER BY (retired_at IS NULL) DESC, created_at DESC`,
        [now, graceSeconds],
      );
      return result.rows.map((r) => r.private_jwk);
    },
  };
}
