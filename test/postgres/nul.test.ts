import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { NulInParameterError } from '../../src/platform/db/errors.ts';
import type { Database } from '../../src/platform/db/database.ts';
import { createPostgresDatabase } from '../../src/platform/db/postgres.ts';
import { createScratchDatabase, dropScratchDatabase } from '../e2e/helpers/server.ts';

// Found by fuzzing (GET /oidc/session/end?state=%00): PostgreSQL refuses an escaped NUL in jsonb with SQLSTATE 22P05,
// as PGlite does.
let scratch: { name: string; url: string };
let db: Database;
before(async () => {
  scratch = await createScratchDatabase();
  db = createPostgresDatabase(scratch.url);
});
after(async () => {
  await db?.close();
  if (scratch) await dropScratchDatabase(scratch.name);
});

test('an escaped NUL inside JSON text for jsonb is a 400 (NulInParameterError) on PostgreSQL, in and outside a transaction', async () => {
  const json = JSON.stringify({ state: 'a\u0000' });
  await assert.rejects(db.query('SELECT $1::jsonb AS j', [json]), NulInParameterError);
  await assert.rejects(
    db.transaction((tx) => tx.query('SELECT $1::jsonb AS j', [json])),
    NulInParameterError,
  );
  await assert.rejects(db.query('SELECT $1::text AS t', ['a\u0000']), NulInParameterError);
  assert.equal((await db.query<{ j: { a: string } }>('SELECT $1::jsonb AS j', ['{"a":"b"}'])).rows[0]?.j.a, 'b');
});
