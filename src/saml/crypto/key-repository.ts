import type { Queryable } from '../../platform/db/database.ts';
import type { KeyAlgorithm, KeyUse } from '../../platform/crypto/certificate.ts';

/** A row of `saml_keys`; the private key sealed with the installation's secret box. */
export interface StoredSamlKey {
  kid: string;
  use: KeyUse;
  alg: KeyAlgorithm;
  private_key_sealed: string;
  certificate_pem: string;
  active_from: Date;
  retired_at: Date | null;
}

/** The SAML keys in `saml_keys` (saml/crypto/keys.ts decides when they are made, used and retired). */
export function samlKeyRepository(db: Queryable) {
  return {
    /** Holds the lock until the transaction ends: one instance at a time generates keys. */
    async lock(lockId: number): Promise<void> {
      await db.query('SELECT pg_advisory_xact_lock($1)', [lockId]);
    },
    async activeKinds(): Promise<{ use: KeyUse; alg: KeyAlgorithm }[]> {
      const result = await db.query<{ use: KeyUse; alg: KeyAlgorithm }>(
        'SELECT use, alg FROM saml_keys WHERE retired_at IS NULL',
      );
      return result.rows;
    },
    async retireActive(at: Date): Promise<void> {
      await db.query('UPDATE saml_keys SET retired_at = $1 WHERE retired_at IS NULL', [at]);
    },
    async insert(key: Omit<StoredSamlKey, 'retired_at'>, createdAt: Date): Promise<void> {
      await db.query(
        'INSERT INTO saml_keys (kid, use, alg, private_key_sealed, certificate_pem, created_at, active_from) VALUES ($1, $2, $3, $4, $5, $6, $7)',
        [key.kid, key.use, key.alg, key.private_key_sealed, key.certificate_pem, createdAt, key.active_from],
      );
    },
    /** Every key, newest first. */
    async all(): Promise<StoredSamlKey[]> {
      const result = await db.query<StoredSamlKey>(
        'SELECT kid, use, alg, private_key_sealed, certificate_pem, active_from, retired_at FROM saml_keys ORDER BY active_from DESC, created_at DESC',
      );
      return result.rows;
    },
  };
}
