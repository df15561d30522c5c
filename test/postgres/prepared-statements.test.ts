import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Database } from '../../src/platform/db/database.ts';
import { createPostgresDatabase } from '../../src/platform/db/postgres.ts';
import { createScratchDatabase, dropScratchDatabase } from '../e2e/helpers/server.ts';

// Issue 16: recurring statements run as named prepared statements on PostgreSQL (prepared-statements.ts).
let scratch: { name: string; url: string };
let db: Database;
before(async () => {
  scratch = await createScratchDatabase();
  db = createPostgresDatabase(scratch.url);
  await db.exec('CREATE TABLE things (id int PRIMARY KEY, label text); INSERT INTO things VALUES (1, $$one$$)');
});
after(async () => {
  await db?.close();
  if (scratch) await dropScratchDatabase(scratch.name);
});

const select = 'SELECT * FROM things WHERE id = $1';
const preparedHere = (tx: Pick<Database, 'query'>) =>
  tx
    .query<{ name: string }>("SELECT name FROM pg_prepared_statements WHERE statement = $1 AND name LIKE 'sk_%'", [
      select,
    ])
    .then((result) => result.rows.length);

test('a statement seen again is prepared on its connection, and answers as before', async () => {
  await db.transaction(async (tx) => {
    assert.deepEqual((await tx.query(select, [1])).rows, [{ id: 1, label: 'one' }]);
    assert.equal(await preparedHere(tx), 0, 'the first time it runs unnamed');
    assert.deepEqual((await tx.query(select, [1])).rows, [{ id: 1, label: 'one' }]);
    assert.equal(await preparedHere(tx), 1, 'the second time it is prepared');
    assert.deepEqual((await tx.query(select, [2])).rows, []);
  });
});

test('a table altered under a prepared SELECT * (another instance migrated): the statement runs unnamed from then on', async () => {
  await db.exec('ALTER TABLE things ADD COLUMN extra text');
  // pg-pool hands out the connection released last, the one that prepared it: inside a transaction the error has
  // aborted the transaction and is the caller's; the next run is unnamed.
  await assert.rejects(
    db.transaction((tx) => tx.query(select, [1])),
    /cached plan must not change result type/,
  );
  assert.deepEqual((await db.query(select, [1])).rows, [{ id: 1, label: 'one', extra: null }]);
  await db.transaction(async (tx) =>
    assert.deepEqual((await tx.query(select, [1])).rows, [{ id: 1, label: 'one', extra: null }]),
  );
});

test('outside a transaction the altered table costs nothing: the statement is run again unnamed at once', async () => {
  const list = 'SELECT * FROM things WHERE id >= $1 ORDER BY id';
  await db.query(list, [0]);
  await db.query(list, [0]);
  await db.exec('ALTER TABLE things ADD COLUMN more int');
  assert.deepEqual((await db.query(list, [0])).rows, [{ id: 1, label: 'one', extra: null, more: null }]);
});
