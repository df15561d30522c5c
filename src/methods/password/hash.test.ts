import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPasswordHasher } from './hash.ts';
import { commonPasswordCount, passwordProblem } from './policy.ts';
import { delayAfter, perNameAndAddress } from './throttle.ts';

test('argon2id hashes verify, and hashes with other parameters need renewal', async () => {
  const old = createPasswordHasher({ memoryCost: 1024, timeCost: 1, parallelism: 1 });
  const current = createPasswordHasher({ memoryCost: 2048, timeCost: 2, parallelism: 1 });
  const hash = await old.hash('Zwei Katzen schlafen');
  assert.match(hash, /^\$argon2id\$v=19\$m=1024,t=1,p=1\$/);
  assert.equal(await current.verify(hash, 'Zwei Katzen schlafen'), true);
  assert.equal(await current.verify(hash, 'Zwei Katzen schlafen!'), false);
  assert.equal(await current.verify('not a hash', 'x'), false);
  assert.equal(current.needsRehash(hash), true);
  assert.equal(old.needsRehash(hash), false);
});

test('passwords: at least 10 characters, not among the common ones, not the username', () => {
  assert.ok(commonPasswordCount() >= 10_000);
  assert.equal(passwordProblem('kurz'), 'password.tooShort');
  assert.equal(passwordProblem('1234567890'), 'password.common');
  assert.equal(passwordProblem('QwertyUiop'), 'password.common');
  assert.equal(passwordProblem('erika.mustermann', { username: 'Erika.Mustermann' }), 'password.likeUsername');
  assert.equal(passwordProblem('Zwei Katzen schlafen'), undefined);
});

test('throttle delays grow and are capped', () => {
  assert.deepEqual(
    [1, 2, 3, 4, 5, 6, 30].map((n) => delayAfter(n, perNameAndAddress)),
    [0, 0, 0, 1, 2, 4, 900],
  );
});
