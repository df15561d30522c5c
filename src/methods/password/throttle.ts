import type { Clock } from '../../platform/clock.ts';
import type { Queryable } from '../../platform/db/database.ts';
import { AppError } from '../../platform/http/errors.ts';

/**
 * Failed-login throttling with growing delays, per login name and per client
 * address. No permanent lockout: a stranger can slow an account down but
 * never lock its owner out for good (BSI's 9-failures lock is the reference
 * point in PROFILES.md §5; this is the better scheme it suggests).
 */
export interface ThrottlePolicy {
  /** Failures allowed before the first delay. */
  free: number;
  /** Longest delay, in seconds. */
  maxDelay: number;
}

export const perLoginName: ThrottlePolicy = { free: 3, maxDelay: 15 * 60 };
// Many citizens share one address behind a NAT: more slack per address.
export const perAddress: ThrottlePolicy = { free: 20, maxDelay: 15 * 60 };

/** 1 s after the free failures, doubling with each further failure, capped. */
export function delayAfter(failures: number, policy: ThrottlePolicy): number {
  if (failures <= policy.free) return 0;
  return Math.min(policy.maxDelay, 2 ** (failures - policy.free - 1));
}

// Failures older than a day are forgotten.
const forgetAfterSeconds = 24 * 3600;

export function loginThrottle(db: Queryable, clock: Clock) {
  return {
    /** Refuses the attempt while any of the keys is still delayed. */
    async check(keys: string[]): Promise<void> {
      const now = clock.now();
      const result = await db.query<{ blocked_until: Date }>(
        'SELECT max(blocked_until) AS blocked_until FROM rate_counters WHERE key = ANY($1) AND blocked_until > $2',
        [keys, now],
      );
      const until = result.rows[0]?.blocked_until;
      if (until) {
        const seconds = Math.max(1, Math.ceil((new Date(until).getTime() - now.getTime()) / 1000));
        throw new AppError('rate_limited', { seconds }, { 'retry-after': String(seconds) });
      }
    },
    async failed(key: string, policy: ThrottlePolicy): Promise<void> {
      const now = clock.now();
      const result = await db.query<{ count: number }>(
        `INSERT INTO rate_counters (key, count, window_start) VALUES ($1, 1, $2)
         ON CONFLICT (key) DO UPDATE SET
           count = CASE WHEN rate_counters.window_start <= $2::timestamptz - make_interval(secs => $3) THEN 1 ELSE rate_counters.count + 1 END,
           window_start = $2
         RETURNING count`,
        [key, now, forgetAfterSeconds],
      );
      const delay = delayAfter(result.rows[0]?.count ?? 1, policy);
      if (delay > 0) await db.query('UPDATE rate_counters SET blocked_until = $2 WHERE key = $1', [key, new Date(now.getTime() + delay * 1000)]);
    },
    async succeeded(key: string): Promise<void> {
      await db.query('DELETE FROM rate_counters WHERE key = $1', [key]);
    },
  };
}

export type LoginThrottle = ReturnType<typeof loginThrottle>;
