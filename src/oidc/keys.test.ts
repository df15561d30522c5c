import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixedClock } from '../platform/clock.ts';
import { ensureSigningKeys, loadSigningKeys, retiredKeyGraceSeconds, rotateSigningKeys } from './keys.ts';
import { pseudonym } from './pairwise.ts';
import { migratedDatabase } from '../../test/helpers/db-template.ts';

test('keys are generated per installation; a rotation keeps old keys published for the grace period', async () => {
  const db = await migratedDatabase();
  const clock = fixedClock(new Date('2026-01-01T00:00:00Z'));
  await ensureSigningKeys(db, clock);
  const first = await loadSigningKeys(db, clock);
  assert.deepEqual(first.keys.map((k) => k.alg).sort(), ['ES256', 'RS256']);
  await ensureSigningKeys(db, clock);
  assert.equal((await loadSigningKeys(db, clock)).keys.length, 2, 'no new keys while active ones exist');

  clock.advance(60_000);
  const fresh = await rotateSigningKeys(db, clock);
  const after = await loadSigningKeys(db, clock);
  assert.equal(after.keys.length, 4);
  assert.deepEqual(
    after.keys
      .slice(0, 2)
      .map((k) => k.kid)
      .sort(),
    [...fresh].sort(),
    'new keys come first and sign',
  );

  clock.advance((retiredKeyGraceSeconds + 1) * 1000);
  assert.deepEqual(
    (await loadSigningKeys(db, clock)).keys.map((k) => k.kid).sort(),
    [...fresh].sort(),
    'old keys leave JWKS after the grace period',
  );
  const rsa = after.keys.find((k) => k.alg === 'RS256');
  assert.ok(
    rsa?.n && Buffer.from(rsa.n, 'base64url').length * 8 >= 3072,
    'RSA keys of at least 3072 bits (TR-03116-4)',
  );
  await db.close();
});

test('the pseudonym is 43 characters, stable per sector, different between sectors', () => {
  const a = pseudonym('secret', 'service-a.example', 'account-1');
  assert.match(a, /^[A-Za-z0-9_-]{43}$/);
  assert.equal(pseudonym('secret', 'service-a.example', 'account-1'), a);
  assert.notEqual(pseudonym('secret', 'service-b.example', 'account-1'), a);
  assert.notEqual(pseudonym('other', 'service-a.example', 'account-1'), a);
});
