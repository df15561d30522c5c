import pg from 'pg';
import type { Database, Queryable, QueryResult } from './database.ts';
import { collectAfterCommit } from './after-commit.ts';
import { queryRefusingNul } from './errors.ts';
import { isStalePreparedStatement, preparedStatements } from './prepared-statements.ts';
import { listenOnPostgres } from './postgres-listener.ts';

/**
 * PostgreSQL through a `pg` pool; every transaction gets its own connection. Statements with parameters that recur
 * run as named prepared statements (prepared-statements.ts); `prepare: false` runs every one unnamed.
 */
export function createPostgresDatabase(connectionString: string, options: { prepare?: boolean } = {}): Database {
  const pool = new pg.Pool({ connectionString, max: 10 });
  // An idle client losing its connection must not crash the process.
  pool.on('error', () => undefined);
  const prepared = options.prepare === false ? undefined : preparedStatements();

  const query = async <Row>(
    runner: pg.Pool | pg.PoolClient,
    sql: string,
    params?: readonly unknown[],
    inTransaction = false,
  ): Promise<QueryResult<Row>> => {
    const values = params as unknown[] | undefined;
    const name = values && values.length > 0 ? prepared?.nameFor(sql) : undefined;
    const run = () => (name ? runner.query({ name, text: sql, values }) : runner.query(sql, values));
    const result = await queryRefusingNul(params, async () => {
      try {
        return await run();
      } catch (error) {
        if (!name || !isStalePreparedStatement(error)) throw error;
        prepared?.refuse(sql);
        // Inside a transaction the error has aborted it: the caller's next transaction runs the statement unnamed.
        if (inTransaction) throw error;
        return runner.query(sql, values);
      }
    });
    return { rows: result.rows as Row[], rowCount: result.rowCount ?? 0 };
  };

  return {
    kind: 'postgres',
    query: (sql, params) => query(pool, sql, params),
    transaction: (work) => collectAfterCommit(() => inTransaction(work)),
    async exec(sql) {
      await pool.query(sql);
    },
    listen: (channel, events) => listenOnPostgres(connectionString, channel, events),
    close: () => pool.end(),
  };

  async function inTransaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    const { client, broken, stopWatching } = await checkOutWatched(pool);
    try {
      await client.query('BEGIN');
      const tx: Queryable = { query: (sql, params) => query(client, sql, params, true) };
      const result = await work(tx);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      stopWatching();
      client.release(broken());
    }
  }
}

/**
 * Checks a client out of the pool with an error listener on it from the moment it is handed over.
 *
 * pg-pool listens for a client's errors only while it is idle in the pool. A connection that dies while checked
 * out (a failover, a restart, pg_terminate_backend) emits 'error', and with no listener that ends the process.
 * The promise form of `pool.connect()` leaves such a gap: the client is handed over in the callback, but the caller
 * runs a microtask later, while the parser may still be in the same chunk of input. A chunk can hold the last
 * query's ReadyForQuery (which releases the client to the next waiter, synchronously) and right behind it the
 * FATAL of a terminated backend, so the error is emitted inside that gap. The callback form closes it.
 */
function checkOutWatched(
  pool: pg.Pool,
): Promise<{ client: pg.PoolClient; broken: () => Error | undefined; stopWatching: () => void }> {
  return new Promise((resolve, reject) => {
    pool.connect((error, client) => {
      if (error || !client) {
        reject(error ?? new Error('the pool handed over no client'));
        return;
      }
      // Kept so the broken client is thrown away instead of going back to the pool.
      let broken: Error | undefined;
      const onError = (cause: Error) => {
        broken = cause;
      };
      client.on('error', onError);
      resolve({ client, broken: () => broken, stopWatching: () => client.off('error', onError) });
    });
  });
}
