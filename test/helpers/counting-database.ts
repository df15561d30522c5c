import type { Database, Queryable } from '../../src/platform/db/database.ts';

/** One round trip to the database: a statement on the handle or inside a transaction. */
export interface CountedStatement {
  sql: string;
  /** Which transaction of the window it ran in (1, 2, …), or undefined for one on the handle (autocommit). */
  transaction: number | undefined;
}

/** What a window of work cost at the Database port. */
export interface StatementCount {
  statements: CountedStatement[];
  /** Database transactions: each statement on the handle is one, each `transaction()` is one. */
  transactions: number;
}

/**
 * Wraps the Database port and records every statement and transaction between `start()` and `stop()`, so a test can
 * hold the round trips of a request to a budget (issue 16: each one is a submission and a wait on the pg client).
 */
export function countingDatabase(
  db: Database,
): Database & { start(): void; stop(): StatementCount; failNext(pattern: RegExp): void } {
  let recording: StatementCount | undefined;
  let transactionsStarted = 0;
  let failing: RegExp | undefined;
  const record = (sql: string, transaction: number | undefined) => {
    if (failing?.test(sql)) {
      failing = undefined;
      throw new Error('the database failed (countingDatabase.failNext)');
    }
    if (!recording) return;
    recording.statements.push({ sql: sql.replace(/\s+/g, ' ').trim(), transaction });
    if (transaction === undefined) recording.transactions++;
  };
  return {
    ...db,
    kind: db.kind,
    query: (sql, params) => {
      record(sql, undefined);
      return db.query(sql, params);
    },
    transaction: (work) => {
      const number = ++transactionsStarted;
      if (recording) recording.transactions++;
      return db.transaction((tx) => {
        const counted: Queryable = {
          query: (sql, params) => {
            record(sql, number);
            return tx.query(sql, params);
          },
        };
        return work(counted);
      });
    },
    exec: (sql) => db.exec(sql),
    close: () => db.close(),
    /** The next statement matching `pattern` fails as if the connection had dropped. */
    failNext(pattern) {
      failing = pattern;
    },
    start() {
      recording = { statements: [], transactions: 0 };
    },
    stop() {
      const done = recording ?? { statements: [], transactions: 0 };
      recording = undefined;
      return done;
    },
  };
}
