import type { Queryable } from './database.ts';

/** Adds a parameter to the statement being built and answers its placeholder (`$n`). */
export type Bind = (value: unknown) => string;

/**
 * A repository's share of one statement that several repositories write
 * together (issue 16: every round trip counts; STYLE.md "Storage through
 * repositories": each keeps its SQL). Its common table expressions, with
 * names of its own, and where it reads, one value of the statement's row.
 */
export interface StatementPiece<T> {
  ctes(bind: Bind): string;
  /** An SQL expression over its CTEs (a scalar sub-select) and how to read what it answers. */
  value?: { sql: string; read(raw: unknown): T | undefined };
}

type Values<P extends readonly StatementPiece<unknown>[]> = {
  [K in keyof P]: P[K] extends StatementPiece<infer T> ? T | undefined : never;
};

/**
 * Runs the pieces as one statement: their CTEs in the order given, then one
 * row with each piece's value (undefined for a piece that only writes).
 * PostgreSQL runs every data-modifying CTE to its end, read or not, on one
 * snapshot (PostgreSQL manual §7.8.4): pieces that touch the same row cannot
 * see each other's changes, so no two may write one row.
 */
export async function runPieces<const P extends readonly StatementPiece<unknown>[]>(
  db: Queryable,
  pieces: P,
): Promise<Values<P>> {
  const params: unknown[] = [];
  const bind: Bind = (value) => `$${params.push(value)}`;
  // A piece with nothing to write or read this time has no CTEs.
  const ctes = pieces
    .map((piece) => piece.ctes(bind))
    .filter((text) => text !== '')
    .join(',\n');
  const columns = pieces.map((piece, i) => `${piece.value?.sql ?? 'NULL'} AS v${i}`).join(', ');
  const result = await db.query<Record<string, unknown>>(`${ctes ? `WITH ${ctes}\n` : ''}SELECT ${columns}`, params);
  const row = result.rows[0] ?? {};
  return pieces.map((piece, i) => piece.value?.read(row[`v${i}`])) as Values<P>;
}
