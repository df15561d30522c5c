import type { Clock } from '../clock.ts';
import type { Queryable } from '../db/database.ts';
import { AppError } from './errors.ts';
import { rateCounterRepository } from './rate-counter-repository.ts';

/**
 * Fixed-window counters in the database, so every instance sees the same
 * count. Used for registration and every form that sends mail.
 */
export function createRateLimiter(db: Queryable, clock: Clock) {
  const limiter = {
    /** Counts one hit on `key`; false once more than `max` hits fall in `windowSeconds`. */
    async allow(key: string, max: number, windowSeconds: number): Promise<boolean> {
      try {
        await limiter.hit(key, max, windowSeconds);
        return true;
      } catch (error) {
        if (error instanceof AppError && error.code === 'rate_limited') return false;
        throw error;
      }
    },
    /** Counts one hit on `key`; throws rate_limited once `max` hits fall in `windowSeconds`. */
    async hit(key: string, max: number, windowSeconds: number): Promise<void> {
      const now = clock.now();
      const row = await rateCounterRepository(db).hit(key, now, windowSeconds);
      if (row && row.count > max) {
        const retry = Math.max(
          1,
          Math.ceil((new Date(row.window_start).getTime() + windowSeconds * 1000 - now.getTime()) / 1000),
        );
        throw new AppError('rate_limited', { seconds: retry }, { 'retry-after': String(retry) });
      }
    },
  };
  return limiter;
}

export type RateLimiter = ReturnType<typeof createRateLimiter>;
