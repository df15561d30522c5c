import type { Clock } from '../clock.ts';
import { afterCommit } from '../db/after-commit.ts';
import type { Database, Queryable } from '../db/database.ts';
import { jobRepository, type ClaimedJob } from './job-repository.ts';

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

  const jobs = jobRepository(db);

  async function claim(): Promise<ClaimedJob | undefined> {
    return jobs.claim(clock.now(), maxAttempts);
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
          await jobs.done(job.id, clock.now());
        } catch (error) {
          const delaySeconds = Math.min(3600, 5 * 2 ** job.attempts);
          log.warn(
            { job: job.id, kind: job.kind, attempts: job.attempts, err: (error as Error).message },
            'job failed; will retry',
          );
          // After the last try the payload goes: it may hold a live link token and an address.
          await jobs.failed(
            job.id,
            String((error as Error).message).slice(0, 500),
            clock.now(),
            delaySeconds,
            maxAttempts,
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
      await jobRepository(tx).add(kind, payload, clock.now());
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
