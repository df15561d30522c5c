import { AppError } from './errors.ts';

/** Timers, injectable so tests decide when a wait runs out (STYLE.md habit 3). */
export interface Timers {
  /** Calls `fn` after `ms`; returns a function that cancels it. */
  after(fn: () => void, ms: number): () => void;
}

export const realTimers: Timers = {
  after(fn, ms) {
    const timer = setTimeout(fn, ms);
    timer.unref();
    return () => clearTimeout(timer);
  },
};

export interface WorkLimits {
  /** Jobs running at once. */
  maxConcurrent: number;
  /** How long a job may wait for a free place before it is refused. */
  queueTimeoutMs: number;
  /** Jobs waiting at most; one more is refused at once. */
  maxQueued: number;
}

/**
 * A ceiling on concurrent expensive work (argon2 verifications, issue 13 §4):
 * however many clients guess, the server does at most `maxConcurrent` jobs at
 * once; jobs beyond wait in order for a short while, and then are refused with
 * 503 and Retry-After (RFC 9110 §15.6.4, §10.2.3) instead of piling up and
 * slowing every login down.
 */
export function createWorkLimiter(limits: WorkLimits, timers: Timers = realTimers) {
  let running = 0;
  const waiting: { start: () => void; stopTimer: () => void }[] = [];
  const retrySeconds = Math.max(1, Math.ceil(limits.queueTimeoutMs / 1000));
  const busy = () => new AppError('busy', { seconds: retrySeconds }, { 'retry-after': String(retrySeconds) });

  const finished = () => {
    const next = waiting.shift();
    if (!next) {
      running--;
      return;
    }
    // The place passes straight to the next job: `running` stays the same.
    next.stopTimer();
    next.start();
  };

  const place = (): Promise<void> => {
    if (running < limits.maxConcurrent) {
      running++;
      return Promise.resolve();
    }
    if (waiting.length >= limits.maxQueued || limits.queueTimeoutMs <= 0) return Promise.reject(busy());
    return new Promise((resolve, reject) => {
      const entry: { start: () => void; stopTimer: () => void } = { start: resolve, stopTimer: () => undefined };
      entry.stopTimer = timers.after(() => {
        waiting.splice(waiting.indexOf(entry), 1);
        reject(busy());
      }, limits.queueTimeoutMs);
      waiting.push(entry);
    });
  };

  return {
    /** Runs `work` when a place is free; throws `busy` when none frees up in time. */
    async run<T>(work: () => Promise<T>): Promise<T> {
      await place();
      try {
        return await work();
      } finally {
        finished();
      }
    },
    /** Jobs running and waiting now. */
    load(): { running: number; waiting: number } {
      return { running, waiting: waiting.length };
    },
  };
}

export type WorkLimiter = ReturnType<typeof createWorkLimiter>;
