import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import type { Database } from '../../src/platform/db/database.ts';
import { scratchPostgres } from '../helpers/scratch-postgres.ts';

// Found by the connection-cut fault test: a chunk of input held one query's ReadyForQuery, which handed the client
// to the next waiting transaction, and right behind it a terminated backend's FATAL. The error came while the
// transaction's code had not run yet, found no listener, and ended the process. Here the error is raised at that
// very moment: in the same turn as the hand-over, before any promise continuation can run.
type ConnectCallback = (error: Error | undefined, client: pg.PoolClient | undefined, release: () => void) => void;

const postgres = scratchPostgres();
let armed = 0;
const original = pg.Pool.prototype.connect;
before(async () => {
  const errorAtHandOver = function (this: pg.Pool, callback?: ConnectCallback) {
    const handOver: ConnectCallback = (error, client, release) => {
      callback?.(error, client, release);
      if (client && armed > 0) {
        armed--;
        client.emit('error', new Error('terminating connection due to administrator command'));
      }
    };
    if (callback) return original.call(this, handOver);
    return new Promise((resolve, reject) => {
      callback = (error, client) => (error ? reject(error) : resolve(client));
      original.call(this, handOver);
    });
  };
  pg.Pool.prototype.connect = errorAtHandOver as typeof original;
});
after(async () => {
  pg.Pool.prototype.connect = original;
});

test('a client that reports an error as it is handed to a transaction is thrown away; the process lives on', async () => {
  const reported = await backendPid(postgres.db);
  armed = 1;
  const value = await postgres.db.transaction(
    async (tx) => (await tx.query<{ n: number }>('SELECT 1 AS n')).rows[0]?.n,
  );
  assert.equal(armed, 0, 'the error was raised at the hand-over');
  assert.equal(value, 1);
  // The next transactions run on a healthy connection: the one that reported the error did not go back to the pool.
  const later = new Set<number>();
  for (let i = 0; i < 4; i++) later.add(await backendPid(postgres.db));
  assert.ok(!later.has(reported), `the connection that reported an error (${reported}) is not used again`);
});

/** The one idle pooled connection serves each of these transactions in turn. */
async function backendPid(database: Database): Promise<number> {
  const rows = await database.transaction(
    async (tx) => (await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows,
  );
  assert.equal(rows.length, 1);
  return rows[0]?.pid ?? 0;
}
