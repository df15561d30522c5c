import { accountColumns, toAccount, type Account, type AccountRow } from '../identity/account-repository.ts';
import type { AttributeName, AttributeSource, IdentityAttribute } from '../identity/attributes.ts';
import type { Queryable } from '../platform/db/database.ts';

/** What the claims of a token are made of: the account and its identity data (claims.ts `accountClaims`). */
export interface ClaimsSource {
  account: Account;
  attributes: Map<AttributeName, IdentityAttribute>;
}

/** The account columns under a prefix, so that they can stand beside other rows' columns in one result. */
export const claimsSourceColumns = (table: string) =>
  [
    ...accountColumns.split(', ').map((column) => `${table}.${column} AS account_${column}`),
    // One JSON array instead of a row per attribute: the other columns of a joined row are not repeated.
    `(SELECT json_agg(json_build_object('name', i.name, 'value', i.value, 'trust_level', i.trust_level, 'source', i.source, 'verified_at', i.verified_at))
       FROM identity_attributes i WHERE i.account_id = ${table}.id) AS account_attributes`,
  ].join(', ');

/** The row claimsSourceColumns gives: `account_id` is null when no account was joined. */
export type ClaimsSourceRow = { [K in keyof AccountRow as `account_${K}`]: AccountRow[K] | null } & {
  account_attributes: AttributeJson[] | null;
};

interface AttributeJson {
  name: AttributeName;
  value: string;
  trust_level: 1 | 2 | 3 | 4;
  source: AttributeSource;
  /** json_build_object writes a timestamptz as ISO 8601 text. */
  verified_at: string | null;
}

export function toClaimsSource(row: ClaimsSourceRow): ClaimsSource | undefined {
  if (row.account_id === null) return undefined;
  const account = toAccount(
    Object.fromEntries(
      accountColumns.split(', ').map((column) => [column, row[`account_${column}` as keyof ClaimsSourceRow]]),
    ) as unknown as AccountRow,
  );
  const attributes = new Map<AttributeName, IdentityAttribute>(
    (row.account_attributes ?? []).map((a) => [
      a.name,
      {
        name: a.name,
        value: a.value,
        trustLevel: a.trust_level,
        source: a.source,
        verifiedAt: a.verified_at === null ? null : new Date(a.verified_at),
      },
    ]),
  );
  return { account, attributes };
}

/** The text of an account id, as a uuid when it is one (a guest's `guest:…` id is not); SQL for a join or WHERE. */
export const asAccountId = (expression: string) =>
  `CASE WHEN ${expression} ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN (${expression})::uuid END`;

/** The account and its attributes in one round trip (issue 16), for findAccount when no token read them ahead. */
export async function readClaimsSource(db: Queryable, accountId: string): Promise<ClaimsSource | undefined> {
  const result = await db.query<ClaimsSourceRow>(
    `SELECT ${claimsSourceColumns('a')} FROM accounts a WHERE a.id = ${asAccountId('$1::text')}`,
    [accountId],
  );
  const row = result.rows[0];
  return row ? toClaimsSource(row) : undefined;
}
