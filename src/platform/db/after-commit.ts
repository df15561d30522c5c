import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Work that must wait until a transaction's changes are visible to others,
 * such as kicking the job worker for a mail queued in it (a worker that ran
 * before the commit would not see the job). Both databases run every
 * transaction through `collectAfterCommit`, so `afterCommit` works through
 * any wrapper of the transaction handle.
 */
const pending = new AsyncLocalStorage<Array<() => void>>();

/** Runs `fn` once the current transaction commits, never if it rolls back; at once outside one. */
export function afterCommit(fn: () => void): void {
  const hooks = pending.getStore();
  if (hooks) hooks.push(fn);
  else fn();
}

/** Runs `transaction` (which commits when it resolves) and then the hooks its work registered. */
export async function collectAfterCommit<T>(transaction: () => Promise<T>): Promise<T> {
  const hooks: Array<() => void> = [];
  const result = await pending.run(hooks, transaction);
  // A failing hook must not turn a committed change into an error page.
  for (const hook of hooks) {
    try {
      hook();
    } catch {
      // The job poll picks the work up later.
    }
  }
  return result;
}
