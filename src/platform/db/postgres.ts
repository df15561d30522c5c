import pg from 'pg';
import type { Database, Queryable, QueryResult } from './database.ts';
import { collectAfterCommit } from './after-commit.ts';
import { queryRefusingNul } from './errors.ts';
import { listenOnPostgres } from './postgres-listener.ts';

/** PostgreSQL through a `pg` pool; every transaction gets its own connection. */
export function createPostgresDatabase(connectionString: string): Database {
  const pool = new pg.Pool({ connectionString, max: 10 });
  // An idle client losing its connection must not crash the process.
  pool.on('error', () => undefined);

  const query = async <Row>(
    runner: pg.Pool | pg.PoolClient,
    sql: string,
    params?: readonly unknown[],
  ): Promise<QueryResult<Row>> => {
    const result = await queryRefusingNul(params, () => runner.query(sql, params as unknown[] | undefined));
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
      const tx: Queryable = { query: (sql, params) => query(client, sql, params) };
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
