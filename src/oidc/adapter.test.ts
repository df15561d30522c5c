import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errors } from 'oidc-provider';
import { fixedClock } from '../platform/clock.ts';
import { createOidcAdapter } from './adapter.ts';
import { migratedDatabase } from '../../test/helpers/db-template.ts';

test("found by fuzzing: a payload with NUL (a session's logout state) is the client's invalid_request, not a jsonb error", async () => {
  const db = await migratedDatabase();
  const Adapter = createOidcAdapter(db, fixedClock(new Date()));
  const sessions = new Adapter('Session');
  await assert.rejects(sessions.upsert('s1', { uid: 'u1', state: { state: 'a\u0000b' } }, 60), (error: unknown) => {
    assert.ok(error instanceof errors.InvalidRequest);
    assert.equal(error.statusCode, 400);
    return true;
  });
  await assert.rejects(sessions.upsert('s2', { uid: 'u2', ['a\u0000']: 1 }, 60), errors.InvalidRequest);
  assert.equal(await sessions.find('s1'), undefined, 'nothing was stored');
  await sessions.upsert('s3', { uid: 'u3', state: { state: 'a\\u0000b' } }, 60);
  assert.deepEqual(
    await sessions.find('s3'),
    { uid: 'u3', state: { state: 'a\\u0000b' } },
    'the six characters \\u0000 are no NUL',
  );
  await db.close();
});
