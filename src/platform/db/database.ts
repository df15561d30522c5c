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
  /**
   * LISTENs on `channel` in a session of its own, outside the pool
   * (change-feed.ts); resolves once the LISTEN is in place.
   */
  listen(channel: string, events: ListenEvents): Promise<Listening>;
  close(): Promise<void>;
}

export interface ListenEvents {
  /** A NOTIFY's payload, delivered only once its transaction committed. */
  notified(payload: string): void;
  /** The session ended on its own (cut, restart): notifications may have been missed. */
  lost(error: Error): void;
}

export interface Listening {
  /**
   * Resolves once a notification sent now has come back to this session;
   * rejects when the session is gone, and may never resolve when
   * notifications do not reach it (the feed times it out).
   */
  ping(): Promise<void>;
  /** Ends the session; `lost` is not called for it. */
  close(): Promise<void>;
}
