import type { Database, Queryable } from '../../src/platform/db/database.ts';

/**
 * What one labelled stretch of work asked of the database: its PostgreSQL
 * transactions, each with the statements our code sent in it (BEGIN and
 * COMMIT not listed). A statement outside `transaction()` is a transaction
 * of its own, as pg_stat_database counts it.
 */
export type Transactions = string[][];

/** One round trip to the database: a statement on the handle or inside a transaction. */
export interface CountedStatement {
  sql: string;
  /** Which transaction it ran in (1, 2, …), or undefined for one on the handle (autocommit). */
  transaction: number | undefined;
}

/** What a window of work cost at the Database port. */
export interface StatementCount {
  statements: CountedStatement[];
  /** Database transactions: each statement on the handle is one, each `transaction()` is one. */
  transactions: number;
}

export type CountingDatabase = Database & {
  /** The label the next statements are filed under in `counts`, e.g. one HTTP request of a login. */
  label: string;
  readonly counts: Map<string, Transactions>;
  /** Records every statement and transaction from here until `stop()`. */
  start(): void;
  stop(): StatementCount;
  /** The next statement matching `pattern` fails as if the connection had dropped. */
  failNext(pattern: RegExp): void;
  /** `work` runs just before the next statement on the handle matching `pattern` is sent (a parallel request's). */
  beforeNext(pattern: RegExp, work: () => Promise<unknown>): void;
};

/**
 * The storage port with a counter in front (DESIGN.md §5): counts at the
 * application what pg_stat_database would count up to a second later, so a
 * test can hold the round trips of a request to a budget (issue 16: each one
 * is a submission and a wait on the pg client). Two views: by label (every
 * statement, filed under the label set at the time) and a window between
 * `start()` and `stop()`.
 */
export function countingDatabase(inner: Database): CountingDatabase {
  const counts = new Map<string, Transactions>();
  let recording: StatementCount | undefined;
  let transactionsStarted = 0;
  let failing: RegExp | undefined;
  let interposed: { pattern: RegExp; work: () => Promise<unknown> } | undefined;

  const opened = (label: string): string[] => {
    let found = counts.get(label);
    if (!found) counts.set(label, (found = []));
    const statements: string[] = [];
    found.push(statements);
    return statements;
  };
  // oidc-provider's storage names the model in the first parameter: kept with the statement, to tell them apart.
  const named = (sql: string, params?: readonly unknown[]) =>
    /\boidc_payloads\b/.test(sql) && typeof params?.[0] === 'string' ? `${sql} -- ${params[0]}` : sql;
  const record = (sql: string, transaction: number | undefined) => {
    if (failing?.test(sql)) {
      failing = undefined;
      throw new Error('the database failed (countingDatabase.failNext)');
    }
    if (!recording) return;
    recording.statements.push({ sql: sql.replace(/\s+/g, ' ').trim(), transaction });
    if (transaction === undefined) recording.transactions++;
  };

  const counting: CountingDatabase = {
    label: 'other',
    counts,
    kind: inner.kind,
    query(sql, params) {
      record(sql, undefined);
      opened(counting.label).push(named(sql, params));
      const before = interposed?.pattern.test(sql) ? interposed.work : undefined;
      if (!before) return inner.query(sql, params);
      interposed = undefined;
      return before().then(() => inner.query(sql, params));
    },
    transaction(work) {
      const number = ++transactionsStarted;
      if (recording) recording.transactions++;
      const statements = opened(counting.label);
      return inner.transaction((tx) => {
        const counted: Queryable = {
          query(sql, params) {
            record(sql, number);
            statements.push(named(sql, params));
            return tx.query(sql, params);
          },
        };
        return work(counted);
      });
    },
    exec: (sql) => inner.exec(sql),
    listen: (channel, events) => inner.listen(channel, events),
    close: () => inner.close(),
    failNext(pattern) {
      failing = pattern;
    },
    beforeNext(pattern, work) {
      interposed = { pattern, work };
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
  return counting;
}
