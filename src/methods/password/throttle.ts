import type { Clock } from '../../platform/clock.ts';
import type { Queryable } from '../../platform/db/database.ts';
import { AppError } from '../../platform/http/errors.ts';

/**
 * Failed-login throttling with growing delays (OWASP Authentication Cheat
 * Sheet, "login throttling"). No permanent lockout: BSI's 9-failures lock
 * (PROFILES.md §5) lets a stranger lock a citizen out; here a stranger can at
 * most slow one account down for clients the account does not know, while
 * the owner's own address and devices keep their own budget (issue 13 §3).
 */
export interface ThrottlePolicy {
  /** Attempts allowed before the first delay. */
  free: number;
  /** Longest delay, in seconds. */
  maxDelay: number;
}

/** One key of an attempt. */
export interface ThrottleKey {
  key: string;
  policy: ThrottlePolicy;
  /**
   * Counted only while the named other key of the same attempt has counted
   * at most `atMost` attempts: one source then adds at most that many to a
   * shared key, so a flood from one network cannot keep it delayed.
   */
  countedWhile?: { key: string; atMost: number };
  /** Left out of the attempt while this marker (see `succeeded`) exists: the owner's known address. */
  waivedBy?: string;
}

/** How long an address stays known to an account after a successful login from it. */
export const knownAddressDays = 30;

/** One login name from one address: the classic guessing attack. */
export const perNameAndAddress: ThrottlePolicy = { free: 3, maxDelay: 15 * 60 };
/** One address, any names (many citizens share one address behind a NAT: more slack). */
export const perAddress: ThrottlePolicy = { free: 20, maxDelay: 15 * 60 };
/** One IPv4 /24 or IPv6 /64, any names: an IPv6 /64 is an unlimited supply of addresses (issue 13 §4). */
export const perNetwork: ThrottlePolicy = { free: 100, maxDelay: 15 * 60 };
/** One account from anywhere: a distributed attack; capped low so clients it slows are never locked out. */
export const perAccount: ThrottlePolicy = { free: 10, maxDelay: 60 };
/** One account from one network: never delays; it only limits what one network adds to `perAccount`. */
export const countOnly: ThrottlePolicy = { free: 2 ** 31 - 1, maxDelay: 0 };
/** One browser holding a device cookie of the account (OWASP "device cookies"). */
export const perDevice: ThrottlePolicy = { free: 5, maxDelay: 15 * 60 };
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
 * Statement 1: an attempt that meets a visible delay is refused at once and
 * writes nothing, so a throttled client adds no rows (issue 13 §5). Else the
 * missing counters are made (count 0), in key order, so statement 2 can lock
 * them: a row that does not exist cannot be locked.
 */
const waived = (k: string) =>
  `EXISTS (SELECT 1 FROM rate_counters m WHERE m.key = ${k}.waived_by AND m.blocked_until > $2)`;
const checkAndEnsure = `
WITH k AS (
  SELECT key, n FROM unnest($1::text[], $3::text[]) WITH ORDINALITY AS k(key, waived_by, n)
   WHERE NOT ${waived('k')}
),
blocked AS (SELECT max(blocked_until) AS until FROM rate_counters WHERE key IN (SELECT key FROM k) AND blocked_until > $2),
made AS (
  INSERT INTO rate_counters (key, count, window_start)
  SELECT key, 0, $2 FROM k
   WHERE (SELECT until FROM blocked) IS NULL
   ORDER BY n
  ON CONFLICT (key) DO NOTHING
)
SELECT until FROM blocked`;

/*
 * Statement 2: one locking statement for all keys, so parallel attempts
 * cannot slip through between a check and a write. The sub-select locks the
 * rows in key order (two attempts on overlapping keys wait instead of
 * deadlocking) and reads them as they are now. All or nothing: an attempt
 * refused by one key counts on none, so it cannot extend the delay of keys
 * that did not refuse it (issue 13 §3), and the counters still at 0 that
 * statement 1 made are removed again (an attempt racing on such a fresh key
 * then skips it once; none is refused wrongly). A key whose `waivedBy`
 * marker exists is left out of both statements. Two statements in all: a
 * login used to spend six round trips here (issue 7's profile).
 */
const newCount = 'CASE WHEN r.window_start <= $2::timestamptz - make_interval(secs => $3) THEN 1 ELSE r.count + 1 END';
const countAttempt = `
WITH o AS (
  SELECT r.key, r.count, r.blocked_until, p.free, p.max_delay, p.gate, p.gate_max, ${newCount} AS next
    FROM rate_counters r JOIN unnest($1::text[], $4::int[], $5::int[], $6::text[], $7::int[], $8::text[]) AS p(key, free, max_delay, gate, gate_max, waived_by) ON p.key = r.key
   WHERE NOT ${waived('p')}
   ORDER BY r.key
     FOR UPDATE OF r
),
verdict AS (SELECT max(blocked_until) FILTER (WHERE blocked_until > $2) AS until FROM o),
counted AS (
  UPDATE rate_counters c SET
    count = o.next,
    window_start = $2,
    blocked_until = CASE WHEN o.next > o.free THEN $2::timestamptz + make_interval(secs => least(o.max_delay, power(2, o.next - o.free - 1))) END
  FROM o, verdict
  WHERE c.key = o.key AND verdict.until IS NULL
    AND (o.gate IS NULL OR EXISTS (SELECT 1 FROM o g WHERE g.key = o.gate AND g.next <= o.gate_max))
  RETURNING c.key
),
unmade AS (
  DELETE FROM rate_counters c USING o, verdict
   WHERE c.key = o.key AND verdict.until IS NOT NULL AND o.count = 0 AND o.blocked_until IS NULL
)
SELECT until FROM verdict`;

function refuse(until: Date, now: Date): never {
  const seconds = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
  throw new AppError('rate_limited', { seconds }, { 'retry-after': String(seconds) });
}

const byKey = (a: ThrottleKey, b: ThrottleKey) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

export function loginThrottle(db: Queryable, clock: Clock) {
  return {
    /** Counts an attempt on its keys; refuses (429) without counting when any key is still delayed. */
    async attempt(keys: readonly ThrottleKey[]): Promise<void> {
      const now = clock.now();
      // In key order for both statements: two attempts on overlapping new keys must not wait for each other's inserts
      // crosswise.
      const unique = [...new Map(keys.map((k) => [k.key, k])).values()].sort(byKey);
      const names = unique.map((k) => k.key);
      const waivedBy = unique.map((k) => k.waivedBy ?? null);
      const visible = await db.query<{ until: Date | null }>(checkAndEnsure, [names, now, waivedBy]);
      const early = visible.rows[0]?.until;
      if (early) refuse(new Date(early), now);
      const result = await db.query<{ until: Date | null }>(countAttempt, [
        names,
        now,
        forgetAfterSeconds,
        unique.map((k) => k.policy.free),
        unique.map((k) => k.policy.maxDelay),
        unique.map((k) => k.countedWhile?.key ?? null),
        unique.map((k) => k.countedWhile?.atMost ?? null),
        waivedBy,
      ]);
      const late = result.rows[0]?.until;
      if (late) refuse(new Date(late), now);
    },
    /**
     * Takes back the attempt a success counted on shared keys (an address
     * behind a NAT): only failures may use up their budget, or an office
     * full of citizens would lock itself out by logging in.
     */
    async refund(keys: readonly string[]): Promise<void> {
      await db.query(
        'UPDATE rate_counters SET count = greatest(count - 1, 0) WHERE key IN (SELECT key FROM rate_counters WHERE key = ANY($1) ORDER BY key FOR UPDATE)',
        [keys],
      );
    },
    /**
     * A success clears the keys of this login: the owner's count starts
     * afresh. With `known`, it also marks the address as the owner's for
     * `knownAddressDays`, which waives the keys naming it (`waivedBy`). The
     * marker is a counter row that is never counted: its `blocked_until` is
     * when it ends, so housekeeping keeps it until then.
     */
    async succeeded(keys: readonly string[], known?: string): Promise<void> {
      const now = clock.now();
      // Rows locked in key order, as in `attempt`; one statement for both.
      await db.query(
        `WITH cleared AS (DELETE FROM rate_counters WHERE key IN (SELECT key FROM rate_counters WHERE key = ANY($1) ORDER BY key FOR UPDATE))
         INSERT INTO rate_counters (key, count, window_start, blocked_until)
         SELECT $2::text, 0, $3, $3::timestamptz + make_interval(days => $4) WHERE $2::text IS NOT NULL
         ON CONFLICT (key) DO UPDATE SET window_start = excluded.window_start, blocked_until = excluded.blocked_until`,
        [keys, known ?? null, now, knownAddressDays],
      );
    },
  };
}

export type LoginThrottle = ReturnType<typeof loginThrottle>;
