import type { Database, Queryable } from '../../src/platform/db/database.ts';

/**
 * What one labelled stretch of work asked of the database: its PostgreSQL
 * transactions, each with the statements our code sent in it (BEGIN and
 * COMMIT not listed). A statement outside `transaction()` is a transaction
 * of its own, as pg_stat_database counts it.
 */
export type Transactions = string[][];

/**
 * The storage port with a counter in front (DESIGN.md §5): counts at the
 * application what pg_stat_database would count up to a second later, and
 * files it under the label set at the time, e.g. one HTTP request of a login.
 */
export function countingDatabase(inner: Database): Database & {
  label: string;
  readonly counts: Map<string, Transactions>;
} {
  const counts = new Map<string, Transactions>();
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
  const counting = {
    label: 'other',
    counts,
    kind: inner.kind,
    query(sql: string, params?: readonly unknown[]) {
      opened(counting.label).push(named(sql, params));
      return inner.query(sql, params);
    },
    transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
      const statements = opened(counting.label);
      return inner.transaction((tx) =>
        work({
          query(sql, params) {
            statements.push(named(sql, params));
            return tx.query(sql, params);
          },
        }),
      );
    },
    exec: (sql: string) => inner.exec(sql),
    close: () => inner.close(),
  } as Database & { label: string; readonly counts: Map<string, Transactions> };
  return counting;
}
