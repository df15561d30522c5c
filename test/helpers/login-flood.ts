import { deviceCookies } from '../../src/methods/password/device-cookie.ts';
import { createPasswordHasher } from '../../src/methods/password/hash.ts';
import { passwordMethod } from '../../src/methods/password/index.ts';
import { passwordStore } from '../../src/methods/password/password-repository.ts';
import { knownAddressDays, loginThrottle, perAddress } from '../../src/methods/password/throttle.ts';
import assert from 'node:assert/strict';
import type { Clock } from '../../src/platform/clock.ts';
import type { Database } from '../../src/platform/db/database.ts';

/**
 * Issue 13 §5: one client guessing with ever new names, `parallel` at a time.
 * Returns the rows of `rate_counters` afterwards and the most a client may
 * leave: per counted attempt a name's three keys, plus its address and network.
 */
export async function floodWithNewNames(
  db: Database,
  clock: Clock,
  attempts: number,
  parallel: number,
): Promise<{ rows: number; bound: number }> {
  const password = passwordMethod({
    passwords: passwordStore(db),
    hasher: createPasswordHasher({ memoryCost: 1024, timeCost: 1, parallelism: 1 }),
    throttle: loginThrottle(db, clock),
    devices: deviceCookies('test key', clock),
    clock,
  });
  for (let i = 0; i < attempts; i += parallel) {
    const batch = Array.from({ length: Math.min(parallel, attempts - i) }, (_, j) =>
      password
        .authenticate({ username: `guess${i + j}`, password: 'wrong password' }, { ip: '192.0.2.66' })
        .catch((error: unknown) => error),
    );
    await Promise.all(batch);
  }
  const count = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM rate_counters');
  return { rows: Number(count.rows[0]?.n), bound: (perAddress.free + 1) * 3 + 2 };
}

/** Issue 13 §3: the marker a success leaves waives the keys naming it, and ends after `knownAddressDays`. */
export async function checkKnownAddress(db: Database, clock: Clock & { advance(ms: number): void }): Promise<void> {
  const throttle = loginThrottle(db, clock);
  const strict = { free: 0, maxDelay: 3600 };
  const account = { key: 'login:account:a', policy: strict, waivedBy: 'login:account:a:known:192.0.2.1' };
  await throttle.attempt([account]);
  await assert.rejects(throttle.attempt([account]), /rate_limited/, 'delayed while the address is not known');
  await throttle.succeeded([], 'login:account:a:known:192.0.2.1');
  for (let i = 0; i < 3; i++) await throttle.attempt([account]);
  const row = await db.query<{ count: number }>("SELECT count FROM rate_counters WHERE key = 'login:account:a'");
  assert.equal(Number(row.rows[0]?.count), 1, 'the waived key counted none of them');
  clock.advance((knownAddressDays * 24 + 1) * 3600 * 1000);
  await throttle.attempt([account]);
  await assert.rejects(throttle.attempt([account]), /rate_limited/, 'the marker ended');
}
