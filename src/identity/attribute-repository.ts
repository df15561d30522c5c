import type { Queryable } from '../platform/db/database.ts';
import type { StatementPiece } from '../platform/db/statement-pieces.ts';
import type { AttributeName, AttributeSource, IdentityAttribute } from './attributes.ts';

interface Row {
  name: AttributeName;
  value: string;
  trust_level: 1 | 2 | 3 | 4;
  source: AttributeSource;
  verified_at: Date | string | null;
}

const columns = 'name, value, trust_level, source, verified_at';

const toMap = (rows: readonly Row[]): Map<AttributeName, IdentityAttribute> =>
  new Map(
    rows.map((r) => [
      r.name,
      {
        name: r.name,
        value: r.value,
        trustLevel: r.trust_level,
        source: r.source,
        // Read as JSON (attributesPiece), a timestamp comes as ISO 8601 text.
        verifiedAt: r.verified_at === null ? null : new Date(r.verified_at),
      },
    ]),
  );

/**
 * The account's identity data (`forAccount`) as a piece of the statement
 * that starts a login's session, which caps the session's level by them
 * (session/level.ts; issue 16).
 */
export function attributesPiece(accountId: string): StatementPiece<Map<AttributeName, IdentityAttribute>> {
  return {
    ctes: (bind) =>
      `account_attributes AS (
         SELECT coalesce(json_agg(json_build_object(${columns
           .split(', ')
           .map((c) => `'${c}', ${c}`)
           .join(', ')})), '[]') AS list
           FROM identity_attributes WHERE account_id = ${bind(accountId)})`,
    value: { sql: '(SELECT list FROM account_attributes)', read: (raw) => toMap((raw ?? []) as Row[]) },
  };
}

/** Identity data per account, each value with its level and source (STYLE.md "Storage through repositories"). */
export function attributeRepository(db: Queryable) {
  return {
    async forAccount(accountId: string): Promise<Map<AttributeName, IdentityAttribute>> {
      const result = await db.query<Row>(`SELECT ${columns} FROM identity_attributes WHERE account_id = $1`, [
        accountId,
      ]);
      return toMap(result.rows);
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
