/**
 * The storage port: one SQL dialect (PostgreSQL) whether the server runs on a
 * real PostgreSQL or on the embedded PGlite (DESIGN.md §5).
 */
export interface QueryResult<Row> {
  rows: Row[];
  rowCount: number;
}

export interface Queryable {
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<Row>>;
}

export interface Database extends Queryable {
  readonly kind: 'postgres' | 'pglite';
  /**
   * Runs `work` in one transaction; it commits when `work` resolves and rolls back when it throws.
   * Hooks registered with `afterCommit` (after-commit.ts) inside `work` run after the commit.
   */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}
