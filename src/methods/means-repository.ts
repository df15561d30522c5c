import type { Queryable } from '../platform/db/database.ts';
import { runPieces, type StatementPiece } from '../platform/db/statement-pieces.ts';
import type { Level } from '../session/limits.ts';

/**
 * The rows of `authentication_means` that more than one method shares a
 * rule on (STYLE.md "Storage through repositories"). The kinds are always
 * passed in, taken from the registry (methods/registry.ts), never written
 * here. A means whose `public_data.confirmed` is false is a pending
 * enrolment (the authenticator app before its first code) and counts for
 * nothing until confirmed.
 */

/** Only means that finished their enrolment. */
const confirmed = "coalesce((public_data->>'confirmed')::boolean, true)";

export interface MeansRow {
  id: string;
  kind: string;
  display_name: string | null;
  level: Level;
  public_data: Record<string, unknown> | null;
  created_at: Date;
  last_used_at: Date | null;
  blocked_at: Date | null;
}

/** The highest level each kind's usable means reach: blocked and pending means do not count. */
export async function levelsByKind(
  db: Queryable,
  accountId: string,
  kinds: readonly string[],
): Promise<Map<string, Level>> {
  const result = await db.query<{ kind: string; level: Level }>(
    `SELECT kind, max(level)::int AS level FROM authentication_means
     WHERE account_id = $1 AND blocked_at IS NULL AND kind = ANY($2::text[]) AND ${confirmed}
     GROUP BY kind`,
    [accountId, [...kinds]],
  );
  return new Map(result.rows.map((r) => [r.kind, r.level]));
}

/** The account's means of these kinds, blocked ones included, blocked last then oldest first. */
export async function listMeansRows(db: Queryable, accountId: string, kinds: readonly string[]): Promise<MeansRow[]> {
  const result = await db.query<MeansRow>(
    `SELECT id, kind, display_name, level, public_data, created_at, last_used_at, blocked_at FROM authentication_means
     WHERE account_id = $1 AND kind = ANY($2::text[]) AND ${confirmed}
     ORDER BY blocked_at NULLS FIRST, created_at`,
    [accountId, [...kinds]],
  );
  return result.rows;
}

/**
 * Names one live means of the account; the id comes from a form, so the account and kinds bound it. Answers whether it
 * did.
 */
export async function renameMeans(
  db: Queryable,
  o: { accountId: string; meansId: string; kinds: readonly string[]; name: string },
): Promise<boolean> {
  const result = await db.query(
    'UPDATE authentication_means SET display_name = $3 WHERE id::text = $1 AND account_id = $2 AND kind = ANY($4::text[]) AND blocked_at IS NULL',
    [o.meansId, o.accountId, o.name, [...o.kinds]],
  );
  return result.rowCount === 1;
}

/** Deletes one means of the account and answers its kind; undefined when there was none of these kinds. */
export async function removeMeans(
  tx: Queryable,
  o: { accountId: string; meansId: string; kinds: readonly string[] },
): Promise<string | undefined> {
  const result = await tx.query<{ kind: string }>(
    'DELETE FROM authentication_means WHERE id::text = $1 AND account_id = $2 AND kind = ANY($3::text[]) RETURNING kind',
    [o.meansId, o.accountId, [...o.kinds]],
  );
  return result.rows[0]?.kind;
}

/**
 * Blocks these means of the account (or all of its means of these kinds without `meansIds`); answers the kinds blocked.
 */
export async function blockMeansRows(
  tx: Queryable,
  o: { accountId: string; meansIds?: readonly string[]; kinds: readonly string[]; at: Date },
): Promise<string[]> {
  const result = o.meansIds
    ? await tx.query<{ kind: string }>(
        'UPDATE authentication_means SET blocked_at = $3 WHERE id::text = ANY($1::text[]) AND account_id = $2 AND kind = ANY($4::text[]) AND blocked_at IS NULL RETURNING kind',
        [[...o.meansIds], o.accountId, o.at, [...o.kinds]],
      )
    : await tx.query<{ kind: string }>(
        'UPDATE authentication_means SET blocked_at = $2 WHERE account_id = $1 AND kind = ANY($3::text[]) AND blocked_at IS NULL RETURNING kind',
        [o.accountId, o.at, [...o.kinds]],
      );
  return result.rows.map((r) => r.kind);
}

/** The live (not blocked) means of these kinds, newest last. */
export async function liveMeans(db: Queryable, accountId: string, kinds: readonly string[]): Promise<MeansRow[]> {
  const result = await db.query<MeansRow>(
    `SELECT id, kind, display_name, level, public_data, created_at, last_used_at, blocked_at FROM authentication_means
     WHERE account_id = $1 AND kind = ANY($2::text[]) AND blocked_at IS NULL ORDER BY created_at`,
    [accountId, [...kinds]],
  );
  return result.rows;
}

/** Stores a new means of the account. */
export async function insertMeans(
  tx: Queryable,
  o: {
    accountId: string;
    kind: string;
    level: Level;
    secret?: string;
    publicData?: unknown;
    displayName?: string;
    lastUsedAt?: Date;
  },
): Promise<void> {
  await tx.query(
    'INSERT INTO authentication_means (account_id, kind, secret, public_data, display_name, level, last_used_at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
    [
      o.accountId,
      o.kind,
      o.secret ?? null,
      o.publicData === undefined ? null : JSON.stringify(o.publicData),
      o.displayName ?? null,
      o.level,
      o.lastUsedAt ?? null,
    ],
  );
}

/** Deletes every means of these kinds of the account (a replaced number, renewed recovery codes). */
export async function deleteMeansOfKinds(tx: Queryable, accountId: string, kinds: readonly string[]): Promise<void> {
  await tx.query('DELETE FROM authentication_means WHERE account_id = $1 AND kind = ANY($2::text[])', [
    accountId,
    [...kinds],
  ]);
}

/** Records a use of one means, with its new public data when the use changes it (a signature counter). */
export async function markMeansUsed(tx: Queryable, meansId: string, at: Date, publicData?: unknown): Promise<void> {
  if (publicData === undefined)
    await tx.query('UPDATE authentication_means SET last_used_at = $2 WHERE id = $1', [meansId, at]);
  else
    await tx.query('UPDATE authentication_means SET last_used_at = $2, public_data = $3 WHERE id = $1', [
      meansId,
      at,
      JSON.stringify(publicData),
    ]);
}

/**
 * Uses up a single-use means by its (hashed) secret: answers its level, or undefined for an unknown, used or blocked
 * one.
 */
export async function useSecretOnce(
  tx: Queryable,
  o: { accountId: string; kinds: readonly string[]; secret: string; at: Date },
): Promise<Level | undefined> {
  const result = await tx.query<{ level: Level }>(
    `UPDATE authentication_means SET last_used_at = $3
     WHERE account_id = $1 AND kind = ANY($4::text[]) AND secret = $2 AND last_used_at IS NULL AND blocked_at IS NULL RETURNING level`,
    [o.accountId, o.secret, o.at, [...o.kinds]],
  );
  return result.rows[0]?.level;
}

/** How many single-use means of these kinds are still unused. */
export async function countUnused(db: Queryable, accountId: string, kinds: readonly string[]): Promise<number> {
  const result = await db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM authentication_means WHERE account_id = $1 AND kind = ANY($2::text[]) AND last_used_at IS NULL',
    [accountId, [...kinds]],
  );
  return result.rows[0]?.n ?? 0;
}

/** How many of these (hashed) secrets are unused, unblocked means of the account: whether codes are still its own. */
export async function countUnusedSecrets(
  db: Queryable,
  o: { accountId: string; kinds: readonly string[]; secrets: readonly string[] },
): Promise<number> {
  const result = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM authentication_means
     WHERE account_id = $1 AND kind = ANY($2::text[]) AND secret = ANY($3::text[]) AND last_used_at IS NULL AND blocked_at IS NULL`,
    [o.accountId, [...o.kinds], [...new Set(o.secrets)]],
  );
  return result.rows[0]?.n ?? 0;
}

export interface SecretMeansRow {
  id: string;
  secret: string;
  level: Level;
  public_data: Record<string, unknown> | null;
}

/**
 * The newest live means of these kinds, confirmed or pending, with its
 * secret, locked for the transaction: two requests with the same code
 * cannot both pass (the software token's check).
 */
export async function lockNewest(
  tx: Queryable,
  o: { accountId: string; kinds: readonly string[]; confirmed: boolean },
): Promise<SecretMeansRow | undefined> {
  const result = await tx.query<SecretMeansRow>(
    `SELECT id, secret, public_data, level FROM authentication_means
     WHERE account_id = $1 AND kind = ANY($3::text[]) AND blocked_at IS NULL AND ${confirmed} = $2
     ORDER BY created_at DESC LIMIT 1 FOR UPDATE`,
    [o.accountId, o.confirmed, [...o.kinds]],
  );
  return result.rows[0];
}

/** The pending enrolment of these kinds, with its secret. */
export async function pendingMeans(
  db: Queryable,
  accountId: string,
  kinds: readonly string[],
): Promise<SecretMeansRow | undefined> {
  const result = await db.query<SecretMeansRow>(
    `SELECT id, secret, public_data, level FROM authentication_means WHERE account_id = $1 AND kind = ANY($2::text[]) AND NOT ${confirmed}`,
    [accountId, [...kinds]],
  );
  return result.rows[0];
}

/** Drops a pending enrolment of these kinds (a new one starts). */
export async function deletePending(tx: Queryable, accountId: string, kinds: readonly string[]): Promise<void> {
  await tx.query(
    `DELETE FROM authentication_means WHERE account_id = $1 AND kind = ANY($2::text[]) AND NOT ${confirmed}`,
    [accountId, [...kinds]],
  );
}

/** Keeps one means of these kinds and deletes the others (a confirmed token replaces every earlier one). */
export async function keepOnly(
  tx: Queryable,
  o: { accountId: string; kinds: readonly string[]; keepId: string },
): Promise<void> {
  await tx.query('DELETE FROM authentication_means WHERE account_id = $1 AND kind = ANY($3::text[]) AND id <> $2', [
    o.accountId,
    o.keepId,
    [...o.kinds],
  ]);
}

/** Records a use that also sets the level (a token confirmed at the enrolment session's level). */
export async function markMeansUsedAt(
  tx: Queryable,
  o: { meansId: string; at: Date; publicData: unknown; level: Level },
): Promise<void> {
  await tx.query('UPDATE authentication_means SET public_data = $2, last_used_at = $3, level = $4 WHERE id = $1', [
    o.meansId,
    JSON.stringify(o.publicData),
    o.at,
    o.level,
  ]);
}

/** What `secondFactorWish` answers for an account. */
export type SecondFactorWish = { passwordEnough: boolean; levels: Map<string, Level> };

/**
 * The columns of `secondFactorWish` for the account row `table`, the kinds
 * in the parameter `kinds` (text[]): for a statement that reads more of the
 * account beside them (issue 16: the SAML answer's one read).
 */
export const secondFactorWishColumns = (table: string, kinds: string) =>
  `${table}.password_enough_for_low AS wish_enough,
   (SELECT json_object_agg(kind, level) FROM (
      SELECT kind, max(level)::int AS level FROM authentication_means
       WHERE account_id = ${table}.id AND blocked_at IS NULL AND kind = ANY(${kinds}::text[]) AND ${confirmed}
       GROUP BY kind) m) AS wish_levels`;

/** The row of secondFactorWishColumns. */
export interface SecondFactorWishRow {
  wish_enough: boolean;
  wish_levels: Record<string, Level> | null;
}

export const toSecondFactorWish = (row: SecondFactorWishRow): SecondFactorWish => ({
  passwordEnough: row.wish_enough,
  levels: new Map(Object.entries(row.wish_levels ?? {})),
});

/**
 * What a login at the service's level asks of the account's second factors,
 * in one statement (issue 16): whether the citizen let the password alone be
 * enough (`passwordEnoughForLow`) and, as `levelsByKind`, the levels its
 * usable means of these kinds reach. Undefined for an unknown account.
 */
export async function secondFactorWish(
  db: Queryable,
  accountId: string,
  kinds: readonly string[],
): Promise<SecondFactorWish | undefined> {
  const [wish] = await runPieces(db, [secondFactorWishPiece(accountId, kinds)]);
  return wish;
}

/**
 * `secondFactorWish` as a piece of the statement that starts a login's
 * session, whose next step it decides (login/next-step.ts; issue 16).
 */
export function secondFactorWishPiece(accountId: string, kinds: readonly string[]): StatementPiece<SecondFactorWish> {
  return {
    ctes: (bind) =>
      `second_factor_wish AS (
         SELECT ${secondFactorWishColumns('a', bind([...kinds]))} FROM accounts a WHERE a.id = ${bind(accountId)})`,
    value: {
      sql: "(SELECT json_build_object('wish_enough', wish_enough, 'wish_levels', wish_levels) FROM second_factor_wish)",
      read: (raw) => (raw ? toSecondFactorWish(raw as SecondFactorWishRow) : undefined),
    },
  };
}

/**
 * The citizen's choice (Mein Konto): the password alone is enough for
 * logins to services that need only niedrig. Off unless turned off; with a
 * second factor, every login asks for it by default (issue 13, point 2).
 */
export async function passwordEnoughForLow(db: Queryable, accountId: string): Promise<boolean> {
  const result = await db.query<{ enough: boolean }>(
    'SELECT password_enough_for_low AS enough FROM accounts WHERE id = $1',
    [accountId],
  );
  return result.rows[0]?.enough ?? false;
}

export async function setPasswordEnoughForLow(db: Queryable, accountId: string, enough: boolean): Promise<void> {
  await db.query('UPDATE accounts SET password_enough_for_low = $2 WHERE id = $1', [accountId, enough]);
}
