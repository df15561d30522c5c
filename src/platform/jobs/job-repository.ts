import type { Queryable } from '../db/database.ts';

/** A claimed job (platform/jobs/queue.ts). */
export interface ClaimedJob {
  id: number;
  kind: string;
  payload: Record<string, unknown>;
  attempts: number;
}

/** The `jobs` table (DESIGN.md §5); when and how often to run is queue.ts's business. */
export function jobRepository(db: Queryable) {
  return {
    /** `runAt` is also its creation time: `deleteOld` counts its age by the same (injected) clock. */
    async add(kind: string, payload: Record<string, unknown>, runAt: Date): Promise<void> {
      await db.query('INSERT INTO jobs (kind, payload, run_at, created_at) VALUES ($1, $2, $3, $3)', [
        kind,
        JSON.stringify(payload),
        runAt,
      ]);
    },
    /**
     * Locks the next due job for two minutes and counts the attempt; jobs
     * another instance holds are skipped (FOR UPDATE SKIP LOCKED).
     */
    async claim(now: Date, maxAttempts: number): Promise<ClaimedJob | undefined> {
      const result = await db.query<ClaimedJob>(
        `UPDATE jobs SET locked_until = $1::timestamptz + interval '2 minutes', attempts = attempts + 1
       WHERE id = (SELECT id FROM jobs WHERE done_at IS NULL AND run_at <= $1 AND attempts < $2 AND (locked_until IS NULL OR locked_until < $1)
                   ORDER BY run_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)
       RETURNING id, kind, payload, attempts`,
        [now, maxAttempts],
      );
      return result.rows[0];
    },
    /** Marks the job done and drops its payload. */
    async done(id: number, at: Date): Promise<void> {
      await db.query(
        "UPDATE jobs SET done_at = $2, payload = '{}'::jsonb, locked_until = NULL, last_error = NULL WHERE id = $1",
        [id, at],
      );
    },
    /** Schedules the next try; the payload goes once `maxAttempts` are used up. */
    async failed(id: number, error: string, now: Date, delaySeconds: number, maxAttempts: number): Promise<void> {
      await db.query(
        "UPDATE jobs SET locked_until = NULL, last_error = $2, run_at = $3::timestamptz + make_interval(secs => $4), payload = CASE WHEN attempts >= $5 THEN '{}'::jsonb ELSE payload END WHERE id = $1",
        [id, error, now, delaySeconds, maxAttempts],
      );
    },
    /** Housekeeping: done jobs after a week, jobs never done after thirty days. */
    async deleteOld(now: Date): Promise<void> {
      await db.query(
        "DELETE FROM jobs WHERE done_at < $1::timestamptz - interval '7 days' OR (done_at IS NULL AND created_at < $1::timestamptz - interval '30 days')",
        [now],
      );
    },
  };
}
