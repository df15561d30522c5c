import type { AttributeName } from '../identity/attributes.ts';
import type { Queryable } from '../platform/db/database.ts';

/** The evidence column of identity_attributes as written by the verifying flow (e.g. `{ document, clerk, office }`). */
export type StoredEvidence = Record<string, unknown>;

/**
 * Reads the evidence of the account's verified attributes. Kept apart from
 * the attribute repository because only `verified_claims` needs it.
 */
export function evidenceRepository(db: Queryable) {
  return {
    async forAccount(accountId: string): Promise<Map<AttributeName, StoredEvidence>> {
      const result = await db.query<{ name: AttributeName; evidence: StoredEvidence | null }>(
        "SELECT name, evidence FROM identity_attributes WHERE account_id = $1 AND source <> 'typed' AND evidence IS NOT NULL",
        [accountId],
      );
      return new Map(
        result.rows.flatMap((r) =>
          r.evidence && typeof r.evidence === 'object' ? [[r.name, r.evidence] as const] : [],
        ),
      );
    },
  };
}

export type EvidenceRepository = ReturnType<typeof evidenceRepository>;
