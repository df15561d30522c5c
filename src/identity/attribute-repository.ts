import type { Queryable } from '../platform/db/database.ts';
import type { AttributeName, AttributeSource, IdentityAttribute } from './attributes.ts';

/** Identity data per account, each value with its level and source (STYLE.md "Storage through repositories"). */
export function attributeRepository(db: Queryable) {
  return {
    async forAccount(accountId: string): Promise<Map<AttributeName, IdentityAttribute>> {
      const result = await db.query<{
        name: AttributeName;
        value: string;
        trust_level: 1 | 2 | 3 | 4;
        source: AttributeSource;
        verified_at: Date | null;
      }>('SELECT name, value, trust_level, source, verified_at FROM identity_attributes WHERE account_id = $1', [
        accountId,
      ]);
      return new Map(
        result.rows.map((r) => [
          r.name,
          { name: r.name, value: r.value, trustLevel: r.trust_level, source: r.source, verifiedAt: r.verified_at },
        ]),
      );
    },
    /**
     * Stores identity data checked against an ID document or read from the
     * eID, at their level with the evidence; they replace typed-in values.
     */
    async setVerified(
      accountId: string,
      values: Partial<Record<AttributeName, string>>,
      proof: {
        source: Exclude<AttributeSource, 'typed'>;
        level: 2 | 3 | 4;
        at: Date;
        evidence: Record<string, string>;
      },
    ): Promise<void> {
      for (const [name, value] of Object.entries(values)) {
        if (!value) continue;
        await db.query(
          `INSERT INTO identity_attributes (account_id, name, value, trust_level, source, verified_at, evidence, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $6)
           ON CONFLICT (account_id, name) DO UPDATE SET value = EXCLUDED.value, trust_level = EXCLUDED.trust_level, source = EXCLUDED.source,
             verified_at = EXCLUDED.verified_at, evidence = EXCLUDED.evidence, updated_at = EXCLUDED.updated_at`,
          [accountId, name, value, proof.level, proof.source, proof.at, JSON.stringify(proof.evidence)],
        );
      }
    },
    /**
     * Stores what the citizen typed in at level basis. An empty value removes
     * the attribute. A verified attribute (level > 1) is never overwritten by
     * typing: that would lower the account's trust silently.
     */
    async setTyped(accountId: string, values: Partial<Record<AttributeName, string>>): Promise<void> {
      for (const [name, value] of Object.entries(values)) {
        if (value === undefined) continue;
        if (value === '') {
          await db.query("DELETE FROM identity_attributes WHERE account_id = $1 AND name = $2 AND source = 'typed'", [
            accountId,
            name,
          ]);
        } else {
          await db.query(
            `INSERT INTO identity_attributes (account_id, name, value, trust_level, source) VALUES ($1, $2, $3, 1, 'typed')
             ON CONFLICT (account_id, name) DO UPDATE SET value = EXCLUDED.value, updated_at = now()
             WHERE identity_attributes.source = 'typed'`,
            [accountId, name, value],
          );
        }
      }
    },
  };
}

export type AttributeRepository = ReturnType<typeof attributeRepository>;
