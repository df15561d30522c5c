import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixedClock } from '../../platform/clock.ts';
import { createPgliteDatabase } from '../../platform/db/pglite.ts';
import { migrate } from '../../platform/db/migrate.ts';
import { delayAfter, loginThrottle, perAddress } from './throttle.ts';

test('delays start after the free attempts and double up to the cap', () => {
  assert.deepEqual([20, 21, 22, 23].map((n) => delayAfter(n, perAddress)), [0, 1, 2, 4]);
  assert.equal(delayAfter(100, perAddress), perAddress.maxDelay);
});

test('successful logins from one address never use up its budget; failures do', async () => {
  const db = await createPgliteDatabase('memory://');
  await migrate(db);
  const throttle = loginThrottle(db, fixedClock(new Date('2026-11-27T10:00:00Z')));
  const key = 'login:ip:192.0.2.1';
  for (let i = 0; i < 50; i++) {
    await throttle.attempt([{ key, policy: perAddress }]);
    await throttle.refund([key]);
  }
  for (let i = 0; i < perAddress.free; i++) await throttle.attempt([{ key, policy: perAddress }]);
  await throttle.attempt([{ key, policy: perAddress }]);
  await assert.rejects(throttle.attempt([{ key, policy: perAddress }]), /rate_limited/, 'the failure after the free ones is delayed');
  await db.close();
});
