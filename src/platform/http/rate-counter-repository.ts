import type { Queryable } from '../db/database.ts';

/** The fixed-window counters of platform/http/rate-limit.ts. */
export function rateCounterRepository(db: Queryable) {
  return {
    /**
     * Counts one hit on `key`, starting a new window when the current one is
     * `windowSeconds` old; returns the count and start of the window.
     */
    async hit(
      key: string,
      now: Date,
      windowSeconds: number,
    ): Promise<{ count: number; window_start: Date } | undefined> {
      const result = await db.query<{ count: number; window_start: Date }>(
        `INSERT INTO rate_counters (key, count, window_start) VALUES ($1, 1, $2)
         ON CONFLICT (key) DO UPDATE SET
           count = CASE WHEN rate_counters.window_start <= $2::timestamptz - make_interval(secs => $3) THEN 1 ELSE rate_counters.count + 1 END,
           window_start = CASE WHEN rate_counters.window_start <= $2::timestamptz - make_interval(secs => $3) THEN $2 ELSE rate_counters.window_start END
         RETURNING count, window_start`,
        [key, now, windowSeconds],
      );
      return result.rows[0];
    },
    /** Housekeeping: counters a day old that block nothing any more. */
    async deleteStale(now: Date): Promise<void> {
      await db.query(
        "DELETE FROM rate_counters WHERE window_start < $1::timestamptz - interval '1 day' AND (blocked_until IS NULL OR blocked_until < $1)",
        [now],
      );
    },
  };
}
