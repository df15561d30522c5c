import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AttributeName, IdentityAttribute } from '../identity/attributes.ts';
import { loginLevel } from './level.ts';
import { sessionLimits } from './limits.ts';

const attrs = (level: 1 | 2 | 3 | 4) =>
  new Map<AttributeName, IdentityAttribute>(
    (['given_name', 'family_name', 'birthdate'] as const).map((name) => [
      name,
      { name, value: 'x', trustLevel: level, source: level === 1 ? 'typed' : 'eid', verifiedAt: null },
    ]),
  );

test('a password login on self-entered data is level 1 (basis)', () => {
  assert.equal(loginLevel(2, attrs(1)), 1);
  assert.equal(loginLevel(2, new Map()), 1);
});

test('a 2FA login on eID data is level 3, capped by the means', () => {
  assert.equal(loginLevel(3, attrs(4)), 3);
  assert.equal(loginLevel(4, attrs(4)), 4);
});

test('session limits follow TR-03160-1 table 2', () => {
  assert.deepEqual(sessionLimits(1), { maxSeconds: 43200, idleSeconds: 3600 });
  assert.deepEqual(sessionLimits(2), { maxSeconds: 43200, idleSeconds: 3600 });
  assert.deepEqual(sessionLimits(3), { maxSeconds: 7200, idleSeconds: 1800 });
  assert.deepEqual(sessionLimits(4), { maxSeconds: 1800, idleSeconds: 300 });
});
