import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NulInParameterError } from '../../src/platform/db/errors.ts';
import { scratchPostgres } from '../helpers/scratch-postgres.ts';

// Found by fuzzing (GET /oidc/session/end?state=%00): PostgreSQL refuses an escaped NUL in jsonb with SQLSTATE 22P05,
// as PGlite does.
const postgres = scratchPostgres();

test('an escaped NUL inside JSON text for jsonb is a 400 (NulInParameterError) on PostgreSQL, in and outside a transaction', async () => {
  const json = JSON.stringify({ state: 'a\u0000' });
  await assert.rejects(postgres.db.query('SELECT $1::jsonb AS j', [json]), NulInParameterError);
  await assert.rejects(
    postgres.db.transaction((tx) => tx.query('SELECT $1::jsonb AS j', [json])),
    NulInParameterError,
  );
  await assert.rejects(postgres.db.query('SELECT $1::text AS t', ['a\u0000']), NulInParameterError);
  assert.equal(
    (await postgres.db.query<{ j: { a: string } }>('SELECT $1::jsonb AS j', ['{"a":"b"}'])).rows[0]?.j.a,
    'b',
  );
});
