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
    const client = await pool.connect();
    // pg-pool listens for a checked-out client's errors only while it is idle in the pool; a
    // connection that dies between two queries of a transaction (a failover, a restart,
    // pg_terminate_backend) would emit 'error' with no listener and end the process. Keep it and
    // throw the broken client away instead of returning it to the pool.
    let broken: Error | undefined;
    const onError = (error: Error) => {
      broken = error;
    };
    client.on('error', onError);
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
      client.off('error', onError);
      client.release(broken);
    }
  }
}
