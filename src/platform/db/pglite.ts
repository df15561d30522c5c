import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import type { Database, Queryable, QueryResult } from './database.ts';
import { collectAfterCommit } from './after-commit.ts';
import { queryRefusingNul } from './errors.ts';
import { listenOnPglite } from './pglite-listener.ts';

/**
 * PostgreSQL's default cache of 128 MB of pages lives in the wasm memory, which never shrinks: the development
 * server's RSS grew with every page it read. A development or test database fits in far less.
 */
const smallBuffers = ['-c', 'shared_buffers=16MB'];

/**
 * The embedded database: PostgreSQL compiled to WebAssembly, one process at a
 * time (see data-dir-lock.ts). `memory://` gives a throwaway database for tests;
 * `from` starts it from a dump of a data folder (the tests' migrated template).
 */
export async function createPgliteDatabase(dataDir: string, from?: Blob): Promise<Database> {
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir, {
    ...(from ? { loadDataDir: from } : {}),
    startParams: [...PGlite.defaultStartParams, ...smallBuffers],
  });
  // PGlite has one connection: a query on the outer handle from inside a
  // transaction would wait for that transaction forever. Fail loudly instead.
  const insideTransaction = new AsyncLocalStorage<true>();

  const toResult = <Row>(result: { rows: unknown[]; affectedRows?: number }): QueryResult<Row> => ({
    rows: result.rows as Row[],
    // PGlite reports affectedRows 0 for a SELECT; rows tell the count then.
    rowCount: result.rows.length > 0 ? result.rows.length : (result.affectedRows ?? 0),
  });
  const outside = () => {
    if (insideTransaction.getStore())
      throw new Error('query on the database handle inside a transaction: use the transaction (tx) instead');
  };

  return {
    kind: 'pglite',
    async query(sql, params) {
      outside();
      return toResult(await queryRefusingNul(params, () => db.query(sql, params as unknown[] | undefined)));
    },
    transaction: (work) => {
      outside();
      return collectAfterCommit(() =>
        db.transaction(async (inner) => {
          const tx: Queryable = {
            query: async (sql, params) =>
              toResult(await queryRefusingNul(params, () => inner.query(sql, params as unknown[] | undefined))),
          };
          return insideTransaction.run(true, () => work(tx));
        }),
      );
    },
    async exec(sql) {
      outside();
      await db.exec(sql);
    },
    listen: (channel, events) => listenOnPglite(db, channel, events),
    close: () => db.close(),
  };
}
