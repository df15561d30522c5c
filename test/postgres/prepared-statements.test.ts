import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Database } from '../../src/platform/db/database.ts';
import { plannedPerExecution } from '../../src/platform/db/prepared-statements.ts';
import { scratchPostgres } from '../helpers/scratch-postgres.ts';

// Issue 16: recurring statements run as named prepared statements on PostgreSQL (prepared-statements.ts).
const postgres = scratchPostgres({
  prepare: (db) =>
    db.exec('CREATE TABLE things (id int PRIMARY KEY, label text); INSERT INTO things VALUES (1, $$one$$)'),
});

const select = 'SELECT * FROM things WHERE id = $1';
const preparedHere = (tx: Pick<Database, 'query'>) =>
  tx
    .query<{ name: string }>("SELECT name FROM pg_prepared_statements WHERE statement = $1 AND name LIKE 'sk_%'", [
      select,
    ])
    .then((result) => result.rows.length);

test('a statement seen again is prepared on its connection, and answers as before', async () => {
  await postgres.db.transaction(async (tx) => {
    assert.deepEqual((await tx.query(select, [1])).rows, [{ id: 1, label: 'one' }]);
    assert.equal(await preparedHere(tx), 0, 'the first time it runs unnamed');
    assert.deepEqual((await tx.query(select, [1])).rows, [{ id: 1, label: 'one' }]);
    assert.equal(await preparedHere(tx), 1, 'the second time it is prepared');
    assert.deepEqual((await tx.query(select, [2])).rows, []);
  });
});

test('a table altered under a prepared SELECT * (another instance migrated): the statement runs unnamed from then on', async () => {
  await postgres.db.exec('ALTER TABLE things ADD COLUMN extra text');
  // pg-pool hands out the connection released last, the one that prepared it: inside a transaction the error has
  // aborted the transaction and is the caller's; the next run is unnamed.
  await assert.rejects(
    postgres.db.transaction((tx) => tx.query(select, [1])),
    /cached plan must not change result type/,
  );
  assert.deepEqual((await postgres.db.query(select, [1])).rows, [{ id: 1, label: 'one', extra: null }]);
  await postgres.db.transaction(async (tx) =>
    assert.deepEqual((await tx.query(select, [1])).rows, [{ id: 1, label: 'one', extra: null }]),
  );
});

test('outside a transaction the altered table costs nothing: the statement is run again unnamed at once', async () => {
  const list = 'SELECT * FROM things WHERE id >= $1 ORDER BY id';
  await postgres.db.query(list, [0]);
  await postgres.db.query(list, [0]);
  await postgres.db.exec('ALTER TABLE things ADD COLUMN more int');
  assert.deepEqual((await postgres.db.query(list, [0])).rows, [{ id: 1, label: 'one', extra: null, more: null }]);
});

test('a statement marked planned per execution is never prepared: after the table grew it is joined by its index', async (t) => {
  const marked = `${plannedPerExecution}SELECT t.id FROM unnest($1::int[]) AS q(id) JOIN things t ON t.id = q.id`;
  const unmarked = marked.slice(plannedPerExecution.length);
  const seqScans = async (tx: Pick<Database, 'query'>) =>
    Number(
      (
        await tx.query<{ n: string }>(
          "SELECT seq_scan::text AS n FROM pg_stat_xact_user_tables WHERE relname = 'things'",
        )
      ).rows[0]?.n ?? 0,
    );
  await postgres.db.transaction(async (tx) => {
    // While the table has one row, as a fresh installation's tables do.
    for (let i = 0; i < 8; i++) {
      assert.equal((await tx.query(marked, [[1, 2]])).rows.length, 1);
      await tx.query(unmarked, [[1, 2]]);
    }
    const prepared = await tx.query("SELECT statement FROM pg_prepared_statements WHERE name LIKE 'sk_%'");
    const texts = prepared.rows.map((row) => (row as { statement: string }).statement);
    assert.ok(!texts.includes(marked), 'the marked statement is not prepared');
    assert.ok(texts.includes(unmarked), 'the same text unmarked is');
    // The table grows; no ANALYZE has run yet (autovacuum looks once a minute).
    await tx.query('INSERT INTO things (id) SELECT g FROM generate_series(3, 50000) AS g');
    const before = await seqScans(tx);
    assert.equal((await tx.query(marked, [[1, 40000]])).rows.length, 2);
    assert.equal(await seqScans(tx), before, 'the marked statement reads the grown table through its index');
    await tx.query(unmarked, [[1, 40000]]);
    t.diagnostic(
      `the prepared one, planned while the table was small: ${(await seqScans(tx)) - before} sequential scans`,
    );
  });
});
