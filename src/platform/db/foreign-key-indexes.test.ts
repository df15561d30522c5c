import { test } from 'node:test';
import assert from 'node:assert/strict';
// The embedded database's wrapper (pglite.ts), from the tests' migrated template.
import { migratedDatabase } from '../../../test/helpers/db-template.ts';

/**
 * Foreign keys whose referencing rows need no index of their own: the referenced row is deleted rarely (a service,
 * removed by the CLI) or the table holds only rows of minutes (pending logins), or a partial index covers the reads
 * and housekeeping empties the rest within days (participations).
 */
const unindexedOnPurpose = new Set([
  'consents.service_id',
  'saml_pending_logins.service_id',
  'session_participations.service_id',
  'session_participations.account_id',
]);

test('every foreign key into a table that grows with the accounts has an index that starts with its columns', async () => {
  const db = await migratedDatabase();
  try {
    const result = await db.query<{ key: string; indexed: boolean }>(
      `SELECT c.conrelid::regclass::text || '.' || (
                SELECT string_agg(a.attname, ',' ORDER BY x.n) FROM unnest(c.conkey) WITH ORDINALITY AS x(k, n)
                  JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = x.k) AS key,
              EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.conrelid AND i.indpred IS NULL
                        AND (i.indkey::int2[])[0:array_length(c.conkey, 1) - 1] = c.conkey) AS indexed
         FROM pg_constraint c WHERE c.contype = 'f'`,
    );
    assert.ok(result.rows.length > 5, 'the schema has foreign keys to check');
    const missing = result.rows.filter((row) => !row.indexed && !unindexedOnPurpose.has(row.key)).map((r) => r.key);
    assert.deepEqual(missing, [], 'a read by the key, or a cascade from its row, would scan the whole table');
    const stale = [...unindexedOnPurpose].filter((key) => result.rows.some((row) => row.key === key && row.indexed));
    assert.deepEqual(stale, [], 'listed as unindexed but indexed now');
  } finally {
    await db.close();
  }
});
