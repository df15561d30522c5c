import type { Clock } from '../../platform/clock.ts';
import type { Queryable } from '../../platform/db/database.ts';
import { AppError } from '../../platform/http/errors.ts';

/**
 * Failed-login throttling with growing delays (OWASP Authentication Cheat
 * Sheet, "login throttling"). No permanent lockout: BSI's 9-failures lock
 * (PROFILES.md §5) lets a stranger lock a citizen out; here a stranger can at
 * most slow one account down to an attempt a minute, while the owner's own
 * address keeps its own budget.
 */
export interface ThrottlePolicy {
  /** Attempts allowed before the first delay. */
  free: number;
  /** Longest delay, in seconds. */
  maxDelay: number;
}

/** One login name from one address: the classic guessing attack. */
export const perNameAndAddress: ThrottlePolicy = { free: 3, maxDelay: 15 * 60 };
/** One address, any names (many citizens share one address behind a NAT: more slack). */
export const perAddress: ThrottlePolicy = { free: 20, maxDelay: 15 * 60 };
/** One account from anywhere: a distributed attack; capped low so the owner is never locked out. */
export const perAccount: ThrottlePolicy = { free: 10, maxDelay: 60 };
/** Re-entering the current password to change settings. */
export const perReauthentication: ThrottlePolicy = { free: 5, maxDelay: 15 * 60 };

/** 0 while attempts are free, then 1 s doubling with each further attempt, capped. */
export function delayAfter(attempts: number, policy: ThrottlePolicy): number {
  if (attempts <= policy.free) return 0;
  return Math.min(policy.maxDelay, 2 ** (attempts - policy.free - 1));
}

// Attempts older than a day are forgotten.
const forgetAfterSeconds = 24 * 3600;

/*
 * One locking UPDATE for all keys of an attempt, so parallel attempts cannot
 * slip through between a check and a write: an attempt arriving while a key
 * is delayed is refused there and not counted; any other attempt is counted
 * and sets the delay for the next one. The sub-select returns the rows as
 * they were and locks them in key order, so two attempts on overlapping keys
 * wait for each other instead of deadlocking. Two statements for all keys
 * (the counters must exist before the UPDATE's snapshot): a login used to
 * spend six round trips here (issue 7's profile).
 */
const ensureCounters = 'INSERT INTO rate_counters (key, count, window_start) SELECT key, 0, $2 FROM unnest($1::text[]) WITH ORDINALITY AS k(key, n) ORDER BY n ON CONFLICT (key) DO NOTHING';
const newCount = 'CASE WHEN o.window_start <= $2::timestamptz - make_interval(secs => $3) THEN 1 ELSE o.count + 1 END';
const countAttempts = `
UPDATE rate_counters c SET
  count = CASE WHEN o.blocked_until > $2 THEN o.count ELSE ${newCount} END,
  window_start = CASE WHEN o.blocked_until > $2 THEN o.window_start ELSE $2 END,
  blocked_until = CASE
    WHEN o.blocked_until > $2 THEN o.blocked_until
    WHEN ${newCount} > o.free THEN $2::timestamptz + make_interval(secs => least(o.max_delay, power(2, ${newCount} - o.free - 1)))
    ELSE NULL END
FROM (
  SELECT r.key, r.count, r.window_start, r.blocked_until, p.free, p.max_delay
    FROM rate_counters r JOIN unnest($1::text[], $4::int[], $5::int[]) AS p(key, free, max_delay) ON p.key = r.key
   ORDER BY r.key
     FOR UPDATE OF r
) o
WHERE c.key = o.key
RETURNING c.blocked_until, coalesce(o.blocked_until > $2, false) AS refused`;

export function loginThrottle(db: Queryable, clock: Clock) {
  return {
    /** Counts an attempt on every key; refuses (429) when any key is still delayed. */
    async attempt(keys: readonly { key: string; policy: ThrottlePolicy }[]): Promise<void> {
      const now = clock.now();
      // In key order for both statements: two attempts on overlapping new keys must not wait for each other's inserts crosswise.
      const unique = [...new Map(keys.map((k) => [k.key, k])).values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      const names = unique.map((k) => k.key);
      await db.query(ensureCounters, [names, now]);
      const result = await db.query<{ refused: boolean; blocked_until: Date | null }>(countAttempts, [
        names,
        now,
        forgetAfterSeconds,
        unique.map((k) => k.policy.free),
        unique.map((k) => k.policy.maxDelay),
      ]);
      let refusedUntil: Date | undefined;
      for (const row of result.rows) {
        if (row.refused && row.blocked_until && (!refusedUntil || row.blocked_until > refusedUntil)) refusedUntil = new Date(row.blocked_until);
      }
      if (refusedUntil) {
        const seconds = Math.max(1, Math.ceil((refusedUntil.getTime() - now.getTime()) / 1000));
        throw new AppError('rate_limited', { seconds }, { 'retry-after': String(seconds) });
      }
    },
    /**
     * Takes back the attempt a success counted on shared keys (an address
     * behind a NAT): only failures may use up their budget, or an office
     * full of citizens would lock itself out by logging in.
     */
    async refund(keys: readonly string[]): Promise<void> {
      await db.query('UPDATE rate_counters SET count = greatest(count - 1, 0) WHERE key IN (SELECT key FROM rate_counters WHERE key = ANY($1) ORDER BY key FOR UPDATE)', [keys]);
    },
    /** A success clears the keys of this login: the owner's count starts afresh. */
    async succeeded(keys: readonly string[]): Promise<void> {
      // Rows locked in key order, as in `attempt`.
      await db.query('DELETE FROM rate_counters WHERE key IN (SELECT key FROM rate_counters WHERE key = ANY($1) ORDER BY key FOR UPDATE)', [keys]);
    },
  };
}

export type LoginThrottle = ReturnType<typeof loginThrottle>;
