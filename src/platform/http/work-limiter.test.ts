import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from './errors.ts';
import { createWorkLimiter, type Timers } from './work-limiter.ts';

/** Timers that run only when the test moves time on. */
function manualTimers(): Timers & { advance(ms: number): void } {
  let now = 0;
  let due: { at: number; fn: () => void }[] = [];
  return {
    after(fn, ms) {
      const entry = { at: now + ms, fn };
      due.push(entry);
      return () => void (due = due.filter((d) => d !== entry));
    },
    advance(ms) {
      now += ms;
      const ready = due.filter((d) => d.at <= now);
      due = due.filter((d) => d.at > now);
      for (const d of ready) d.fn();
    },
  };
}

/** A job that ends when the test says so. */
function gate(): { promise: Promise<string>; open(): void } {
  let open: () => void = () => undefined;
  const promise = new Promise<string>((resolve) => (open = () => resolve('done')));
  return { promise, open };
}

const isBusy = (error: unknown) =>
  error instanceof AppError && error.code === 'busy' && error.status === 503 && error.headers['retry-after'] === '2';

test('at most maxConcurrent jobs run; the next waits in order and runs when a place frees', async () => {
  const timers = manualTimers();
  const limiter = createWorkLimiter({ maxConcurrent: 2, queueTimeoutMs: 2000, maxQueued: 10 }, timers);
  const jobs = [gate(), gate(), gate()];
  const started: number[] = [];
  const results = jobs.map((job, i) => limiter.run(() => (started.push(i), job.promise)));
  await Promise.resolve();
  assert.deepEqual(started, [0, 1]);
  assert.deepEqual(limiter.load(), { running: 2, waiting: 1 });
  jobs[0]?.open();
  await results[0];
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(started, [0, 1, 2], 'the waiting job took the freed place');
  timers.advance(5000);
  jobs[1]?.open();
  jobs[2]?.open();
  assert.deepEqual(
    await Promise.all(results),
    ['done', 'done', 'done'],
    'a job that started is not refused by its old timer',
  );
  assert.deepEqual(limiter.load(), { running: 0, waiting: 0 });
});

test('a job that waits too long is refused with 503 and Retry-After; its place in the queue is given up', async () => {
  const timers = manualTimers();
  const limiter = createWorkLimiter({ maxConcurrent: 1, queueTimeoutMs: 2000, maxQueued: 10 }, timers);
  const first = gate();
  const running = limiter.run(() => first.promise);
  const waiting = limiter.run(async () => 'never');
  timers.advance(1999);
  assert.deepEqual(limiter.load(), { running: 1, waiting: 1 });
  timers.advance(1);
  await assert.rejects(waiting, isBusy);
  assert.deepEqual(limiter.load(), { running: 1, waiting: 0 });
  first.open();
  await running;
  assert.equal(await limiter.run(async () => 'free again'), 'free again');
});

test('a full queue refuses at once', async () => {
  const limiter = createWorkLimiter({ maxConcurrent: 1, queueTimeoutMs: 2000, maxQueued: 1 }, manualTimers());
  const first = gate();
  const running = limiter.run(() => first.promise);
  const queued = limiter.run(async () => 'queued');
  await assert.rejects(
    limiter.run(async () => 'refused'),
    isBusy,
  );
  first.open();
  assert.deepEqual(await Promise.all([running, queued]), ['done', 'queued']);
});

test('a failing job frees its place too', async () => {
  const limiter = createWorkLimiter({ maxConcurrent: 1, queueTimeoutMs: 2000, maxQueued: 1 }, manualTimers());
  await assert.rejects(
    limiter.run(async () => Promise.reject(new Error('argon2 failed'))),
    /argon2 failed/,
  );
  assert.deepEqual(limiter.load(), { running: 0, waiting: 0 });
});
