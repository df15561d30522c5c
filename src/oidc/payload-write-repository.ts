import type { Queryable } from '../platform/db/database.ts';
import { coalescer } from '../platform/db/coalesced-statements.ts';
import { plannedPerExecution } from '../platform/db/prepared-statements.ts';

/** A record of oidc-provider (session, grant, code, token…) as it keeps it. */
export type Payload = Record<string, unknown> & {
  grantId?: string;
  userCode?: string;
  uid?: string;
  accountId?: string;
  clientId?: string;
  consumed?: unknown;
};

/** A record as the adapter writes it. */
export interface StoredRecord {
  model: string;
  id: string;
  payload: Payload;
  expiresAt: Date | null;
  /** The payload's JSON text, where the caller made it already: written as it is. */
  json?: string;
}

/** Which record: its model and id. */
export interface PayloadId {
  model: string;
  id: string;
}

/** A code or token a request redeemed, marked used when its writes are. */
export interface ConsumedRecord extends PayloadId {
  at: Date;
}

/** What one request writes: its records, the records it deletes, and the codes and tokens it redeems. */
export interface WriteGroup {
  records: readonly StoredRecord[];
  deleted: readonly PayloadId[];
  consumed: readonly ConsumedRecord[];
}

/**
 * One statement for the writes of any number of requests (issue 16), its text the same for every batch: every list
 * is an array parameter. Planned for each execution (prepared-statements.ts `plannedPerExecution`): it joins
 * oidc_payloads, which grows. Each group's records are written and its deletes
 * done only if every code or token it redeems was still unused: the UPDATE that marks them decides in the same
 * statement (a data-modifying CTE; PostgreSQL re-checks `consumed_at IS NULL` on a row a parallel statement changed;
 * RFC 6749 §4.1.2, §10.4). Group 0 redeems nothing and always wins. Answers the groups that won.
 */
const writeStatement = `${plannedPerExecution}WITH wanted AS (
    SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::int[]) AS c(model, id, at, g)),
  consumed AS (UPDATE oidc_payloads p SET consumed_at = c.at FROM wanted c
    WHERE p.model = c.model AND p.id = c.id AND p.consumed_at IS NULL RETURNING c.g),
  won AS (SELECT 0 AS g UNION ALL SELECT w.g FROM wanted w GROUP BY w.g
    HAVING count(*) = (SELECT count(*) FROM consumed x WHERE x.g = w.g)),
  deleted AS (DELETE FROM oidc_payloads WHERE (model, id) IN (
    SELECT d.model, d.id FROM unnest($5::text[], $6::text[], $7::int[]) AS d(model, id, g) WHERE d.g IN (SELECT g FROM won))),
  written AS (INSERT INTO oidc_payloads (model, id, payload, grant_id, user_code, uid, account_id, client_id, expires_at)
    SELECT r.model, r.id, r.payload, r.grant_id, r.user_code, r.uid, r.account_id, r.client_id, r.expires_at
    FROM unnest($8::text[], $9::text[], $10::jsonb[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[],
      $16::timestamptz[], $17::int[])
      AS r(model, id, payload, grant_id, user_code, uid, account_id, client_id, expires_at, g)
    WHERE r.g IN (SELECT g FROM won)
    ON CONFLICT (model, id) DO UPDATE SET payload = EXCLUDED.payload, grant_id = EXCLUDED.grant_id,
      user_code = EXCLUDED.user_code, uid = EXCLUDED.uid, account_id = EXCLUDED.account_id,
      client_id = EXCLUDED.client_id, expires_at = EXCLUDED.expires_at)
  SELECT array_agg(g) AS won FROM won`;

/**
 * The common case, records only (a client-credentials grant, a userinfo-free token): the same rows without the CTEs,
 * whose planning for every execution was half PostgreSQL's time for such a batch (issue 16). It reads no table
 * (the conflict check goes by the primary key), so it is prepared like any other.
 */
const insertStatement = `INSERT INTO oidc_payloads (model, id, payload, grant_id, user_code, uid, account_id, client_id, expires_at)
  SELECT * FROM unnest($1::text[], $2::text[], $3::jsonb[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
    $9::timestamptz[])
  ON CONFLICT (model, id) DO UPDATE SET payload = EXCLUDED.payload, grant_id = EXCLUDED.grant_id,
    user_code = EXCLUDED.user_code, uid = EXCLUDED.uid, account_id = EXCLUDED.account_id,
    client_id = EXCLUDED.client_id, expires_at = EXCLUDED.expires_at`;

/** A timestamp as an array element: PGlite and pg both take the ISO text. */
const iso = (at: Date | null) => (at === null ? null : at.toISOString());

/**
 * Writes the groups in one statement. A group that redeems something is numbered from 1 and wins or loses on its
 * own; the others are group 0. No two records of the groups may share model and id, nor a written, deleted or
 * consumed one another (coalesced-statements.ts keysOf). Answers per group whether it won.
 */
export async function writeGroups(db: Queryable, groups: readonly WriteGroup[]): Promise<boolean[]> {
  const numbers = groups.map((group, i) => (group.consumed.length > 0 ? i + 1 : 0));
  const consumed = groups.flatMap((group, i) => group.consumed.map((c) => ({ ...c, g: numbers[i] })));
  const deleted = groups.flatMap((group, i) => group.deleted.map((d) => ({ ...d, g: numbers[i] })));
  const records = groups.flatMap((group, i) => group.records.map((r) => ({ ...r, g: numbers[i] })));
  if (records.length === 0 && deleted.length === 0 && consumed.length === 0) return groups.map(() => true);
  const recordColumns = [
    records.map((r) => r.model),
    records.map((r) => r.id),
    records.map((r) => r.json ?? JSON.stringify(r.payload)),
    records.map((r) => r.payload.grantId ?? null),
    records.map((r) => r.payload.userCode ?? null),
    records.map((r) => r.payload.uid ?? null),
    records.map((r) => r.payload.accountId ?? null),
    records.map((r) => r.payload.clientId ?? null),
    records.map((r) => iso(r.expiresAt)),
  ];
  if (deleted.length === 0 && consumed.length === 0) {
    await db.query(insertStatement, recordColumns);
    return groups.map(() => true);
  }
  const result = await db.query<{ won: number[] | null }>(writeStatement, [
    consumed.map((c) => c.model),
    consumed.map((c) => c.id),
    consumed.map((c) => iso(c.at)),
    consumed.map((c) => c.g),
    deleted.map((d) => d.model),
    deleted.map((d) => d.id),
    deleted.map((d) => d.g),
    ...recordColumns,
    records.map((r) => r.g),
  ]);
  const won = new Set(result.rows[0]?.won ?? []);
  return numbers.map((n) => won.has(n));
}

/** The rows a group touches, for the coalescer to keep groups on one row apart. */
function* keysOf(group: WriteGroup): Iterable<string> {
  for (const { model, id } of [...group.records, ...group.deleted, ...group.consumed]) yield `${model}|${id}`;
}

/**
 * The adapter's writes outside a transaction, coalesced with those of concurrent requests (coalesced-statements.ts):
 * under load, one statement stores the tokens of many grants.
 */
export function coalescedPayloadWrites(db: Queryable) {
  const writes = coalescer<WriteGroup, boolean>({ keysOf, runAll: (groups) => writeGroups(db, groups) });
  return (group: WriteGroup): Promise<boolean> => writes.submit(group);
}
