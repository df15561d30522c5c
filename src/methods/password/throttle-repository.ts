import type { Queryable } from '../../platform/db/database.ts';
import { runPieces, type StatementPiece } from '../../platform/db/statement-pieces.ts';

/**
 * The login throttle's counters (`rate_counters`; STYLE.md "Storage through
 * repositories"). The policy, the keys and the refusal are in throttle.ts.
 */

/*
 * Statement 1: an attempt that meets a visible delay is refused at once and
 * writes nothing, so a throttled client adds no rows (issue 13 §5). Else the
 * missing counters are made (count 0), in key order, so statement 2 can lock
 * them: a row that does not exist cannot be locked.
 */
const waived = (k: string) =>
  `EXISTS (SELECT 1 FROM rate_counters m WHERE m.key = ${k}.waived_by AND m.blocked_until > $2)`;
const checkAndEnsureSql = `
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
const countAttemptSql = `
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

/** Statement 1: the latest visible delay of these keys, or nothing, after making the missing counters. */
export async function checkAndEnsure(
  db: Queryable,
  o: { names: string[]; now: Date; waivedBy: (string | null)[] },
): Promise<Date | null | undefined> {
  const visible = await db.query<{ until: Date | null }>(checkAndEnsureSql, [o.names, o.now, o.waivedBy]);
  return visible.rows[0]?.until;
}

/** Statement 2: counts the attempt on all keys, or on none; answers the delay that refused it. */
export async function countAttempt(
  db: Queryable,
  o: {
    names: string[];
    now: Date;
    forgetAfterSeconds: number;
    free: number[];
    maxDelay: number[];
    gate: (string | null)[];
    gateMax: (number | null)[];
    waivedBy: (string | null)[];
  },
): Promise<Date | null | undefined> {
  const result = await db.query<{ until: Date | null }>(countAttemptSql, [
    o.names,
    o.now,
    o.forgetAfterSeconds,
    o.free,
    o.maxDelay,
    o.gate,
    o.gateMax,
    o.waivedBy,
  ]);
  return result.rows[0]?.until;
}

/**
 * Clears these keys, takes one attempt back from the `refunded` ones and, with
 * `known`, sets that marker until `days` from now: the rows of both sets
 * locked together in key order, as in `attempt`. A piece of the statement
 * that starts a login's session (issue 16), or a statement of its own
 * (`clearAndMark`).
 */
export function clearAndMarkPiece(o: {
  keys: readonly string[];
  refunded: readonly string[];
  known: string | null;
  now: Date;
  days: number;
}): StatementPiece<never> {
  return {
    ctes(bind) {
      const [keys, refunded] = [bind(o.keys), bind(o.refunded)];
      const [known, now] = [bind(o.known), bind(o.now)];
      return `throttle_locked AS (
       SELECT key FROM rate_counters WHERE key = ANY(${keys}::text[]) OR key = ANY(${refunded}::text[]) ORDER BY key FOR UPDATE),
     throttle_cleared AS (DELETE FROM rate_counters WHERE key IN (SELECT key FROM throttle_locked) AND key = ANY(${keys}::text[])),
     throttle_refunded AS (
       UPDATE rate_counters SET count = greatest(count - 1, 0)
        WHERE key IN (SELECT key FROM throttle_locked) AND key = ANY(${refunded}::text[]) AND NOT key = ANY(${keys}::text[])),
     throttle_known AS (
       INSERT INTO rate_counters (key, count, window_start, blocked_until)
       SELECT ${known}::text, 0, ${now}, ${now}::timestamptz + make_interval(days => ${bind(o.days)}) WHERE ${known}::text IS NOT NULL
       ON CONFLICT (key) DO UPDATE SET window_start = excluded.window_start, blocked_until = excluded.blocked_until)`;
    },
  };
}

export async function clearAndMark(db: Queryable, o: Parameters<typeof clearAndMarkPiece>[0]): Promise<void> {
  await runPieces(db, [clearAndMarkPiece(o)]);
}
