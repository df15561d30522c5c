import type { Clock } from '../clock.ts';
import { afterCommit } from '../db/after-commit.ts';
import type { Database, Queryable } from '../db/database.ts';

export type JobHandler = (payload: Record<string, unknown>) => Promise<void>;

export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/**
 * A job table in the database (DESIGN.md §5): a job is enqueued in the same
 * transaction as the change that needs it, and several instances never run
 * the same job twice (FOR UPDATE SKIP LOCKED). Failed jobs are retried with
 * growing delays; after the last try they stay for an operator to see.
 */
export function jobQueue(db: Database, clock: Clock, log: Logger) {
  const handlers = new Map<string, JobHandler>();
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let stopped = false;
  const maxAttempts = 8;

  async function claim(): Promise<
    { id: number; kind: string; payload: Record<string, unknown>; attempts: number } | undefined
  > {
    const now = clock.now();
    const result = await db.query<{ id: number; kind: string; payload: Record<string, unknown>; attempts: number }>(
      `UPDATE jobs SET locked_until = $1::timestamptz + interval '2 minutes', attempts = attempts + 1
       WHERE id = (SELECT id FROM jobs WHERE done_at IS NULL AND run_at <= $1 AND attempts < $2 AND (locked_until IS NULL OR locked_until < $1)
                   ORDER BY run_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)
       RETURNING id, kind, payload, attempts`,
      [now, maxAttempts],
    );
    return result.rows[0];
  }

  let pass: Promise<number> | undefined;

  async function runPass(): Promise<number> {
    if (running) return 0;
    running = true;
    let count = 0;
    try {
      for (let job = await claim(); job && !stopped; job = await claim()) {
        count++;
        const handler = handlers.get(job.kind);
        try {
          if (!handler) throw new Error(`no handler for job kind ${job.kind}`);
          await handler(job.payload);
          // The payload may hold a link token: keep no copy once the job is done.
          await db.query(
            "UPDATE jobs SET done_at = $2, payload = '{}'::jsonb, locked_until = NULL, last_error = NULL WHERE id = $1",
            [job.id, clock.now()],
          );
        } catch (error) {
          const delaySeconds = Math.min(3600, 5 * 2 ** job.attempts);
          log.warn(
            { job: job.id, kind: job.kind, attempts: job.attempts, err: (error as Error).message },
            'job failed; will retry',
          );
          // After the last try the payload goes: it may hold a live link token and an address.
          await db.query(
            "UPDATE jobs SET locked_until = NULL, last_error = $2, run_at = $3::timestamptz + make_interval(secs => $4), payload = CASE WHEN attempts >= $5 THEN '{}'::jsonb ELSE payload END WHERE id = $1",
            [job.id, String((error as Error).message).slice(0, 500), clock.now(), delaySeconds, maxAttempts],
          );
        }
      }
    } catch (error) {
      log.error({ err: (error as Error).message }, 'job queue poll failed');
    } finally {
      running = false;
    }
    return count;
  }

  /**
   * Runs due jobs now; when a pass is already running (after a kick), waits
   * for it and runs one more, so a job that queues another (mail-request.ts)
   * is done when this resolves.
   */
  async function runDue(): Promise<number> {
    while (pass) await pass;
    pass = runPass().finally(() => {
      pass = undefined;
    });
    return pass;
  }

  function tick(): void {
    if (!pass) void runDue();
  }

  const queue = {
    register(kind: string, handler: JobHandler): void {
      handlers.set(kind, handler);
    },
    /**
     * Queues a job and runs it soon: after the commit when `tx` is a
     * transaction (a worker that ran before would not see the job), at once
     * otherwise. Nobody needs to call `kick` after enqueueing.
     */
    async enqueue(tx: Queryable, kind: string, payload: Record<string, unknown>): Promise<void> {
      await tx.query('INSERT INTO jobs (kind, payload, run_at) VALUES ($1, $2, $3)', [
        kind,
        JSON.stringify(payload),
        clock.now(),
      ]);
      // Through the object, so a test that stops the kicks (to run jobs itself) stops these too.
      afterCommit(() => queue.kick());
    },
    /** Runs due jobs now, without waiting for the next poll. */
    kick(): void {
      if (!stopped) setImmediate(tick);
    },
    runDue,
    start(intervalMs = 1000): void {
      stopped = false;
      timer = setInterval(tick, intervalMs);
      timer.unref();
    },
    async stop(): Promise<void> {
      stopped = true;
      if (timer) clearInterval(timer);
      while (running) await new Promise((resolve) => setTimeout(resolve, 10));
    },
  };
  return queue;
}

export type JobQueue = ReturnType<typeof jobQueue>;
