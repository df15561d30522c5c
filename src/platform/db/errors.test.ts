import { test } from 'node:test';
import assert from 'node:assert/strict';
import { holdsNul, jsonHoldsNul, NulInParameterError, refuseNul } from './errors.ts';
// The embedded database's wrapper (pglite.ts), from the tests' migrated template.
import { migratedDatabase } from '../../../test/helpers/db-template.ts';

test('holdsNul looks into strings, arrays and plain objects, names included', () => {
  assert.equal(holdsNul('a\u0000'), true);
  assert.equal(holdsNul(['a', ['b\u0000']]), true);
  assert.equal(holdsNul({ a: { b: ['c\u0000'] } }), true);
  assert.equal(holdsNul({ ['a\u0000']: 1 }), true);
  assert.equal(holdsNul({ a: 'a\\u0000' }), false);
  assert.equal(holdsNul(new Date()), false);
  assert.equal(holdsNul(Buffer.from([0])), false, 'bytes (bytea) may hold 0');
  assert.throws(() => refuseNul([1, { a: '\u0000' }]), NulInParameterError);
});

test('jsonHoldsNul answers as holdsNul does for every value JSON.stringify writes, backslashes before the escape included', () => {
  const values: unknown[] = [
    { state: 'a\u0000' },
    { ['n\u0000']: 1 },
    { deep: [{ x: ['\u0000'] }] },
    { text: 'a\\u0000' },
    { text: 'a\\\u0000' },
    { text: '\\\\u0000' },
    { text: '\\\\\u0000' },
    { text: 'u0000 \\ 0000' },
    { plain: 'nothing', n: 0 },
  ];
  for (let i = 0; i < 64; i++) {
    // Random strings over the characters that matter: a backslash, the escape's letters, NUL.
    const chars = ['\\', 'u', '0', '\u0000', 'a'];
    values.push({ s: Array.from({ length: 8 }, () => chars[Math.floor(Math.random() * chars.length)]).join('') });
  }
  for (const value of values) assert.equal(jsonHoldsNul(JSON.stringify(value)), holdsNul(value), JSON.stringify(value));
  assert.ok(values.some(holdsNul) && !values.every(holdsNul));
});

test('found by fuzzing: an escaped NUL inside JSON text that PGlite refuses for jsonb (SQLSTATE 22P05) is a 400, in and outside a transaction', async () => {
  const db = await migratedDatabase();
  const json = JSON.stringify({ state: 'a\u0000' });
  await assert.rejects(
    db.query('SELECT $1::jsonb AS j', [json]),
    (error: unknown) => error instanceof NulInParameterError && error.statusCode === 400,
  );
  await assert.rejects(
    db.transaction((tx) => tx.query('SELECT $1::jsonb AS j', [json])),
    NulInParameterError,
  );
  // Other errors stay what they are.
  await assert.rejects(
    db.query('SELECT $1::jsonb AS j', ['{']),
    (error: unknown) => !(error instanceof NulInParameterError),
  );
  assert.equal((await db.query<{ j: { a: string } }>('SELECT $1::jsonb AS j', ['{"a":"b"}'])).rows[0]?.j.a, 'b');
  await db.close();
});
