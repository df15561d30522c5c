import { postgresAdminUrl, queryScratch } from '../../test/e2e/helpers/server.ts';

/** Counts of the scratch database's work (pg_stat_database) for "DB transactions per iteration". */
export interface DatabaseCounters {
  transactions: number;
  rowWrites: number;
}

export async function databaseCounters(name: string): Promise<DatabaseCounters> {
  const [row] = await queryScratch<{ x: string; w: string }>(
    postgresAdminUrl,
    'SELECT xact_commit + xact_rollback AS x, tup_inserted + tup_updated + tup_deleted AS w FROM pg_stat_database WHERE datname = $1',
    [name],
  );
  return { transactions: Number(row?.x ?? 0), rowWrites: Number(row?.w ?? 0) };
}

/**
 * A backend reports its counts at the end of a transaction at most once a second, and an idle one within 10 s
 * (PostgreSQL 15 pgstat.c: PGSTAT_MIN_INTERVAL, PGSTAT_IDLE_INTERVAL): a window's edges taken under load each miss
 * up to a second of transactions, which moved a login's 12 between 12.0 and 12.4. Taken when the server has been
 * idle for longer than that, the counts are complete. Two such readings a few seconds apart give the rate of the
 * server's own background work (the job queue's poll, the change feed's heartbeat), subtracted over the phase.
 */
export const statsSettleSeconds = 11;
/** The quiet stretch after settling that measures the background work's rate (about one transaction a second). */
const backgroundSeconds = 6;

export interface SettledCounters extends DatabaseCounters {
  at: number;
  /** Per second, while idle. */
  background: DatabaseCounters;
}

export async function settledCounters(name: string): Promise<SettledCounters> {
  const sleep = (seconds: number) => new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  // First the earlier work's late reports arrive; then a quiet stretch shows the background alone.
  await sleep(statsSettleSeconds);
  const first = await databaseCounters(name);
  const started = performance.now();
  await sleep(backgroundSeconds);
  const second = await databaseCounters(name);
  const at = performance.now();
  const seconds = (at - started) / 1000;
  return {
    ...second,
    at,
    background: {
      transactions: (second.transactions - first.transactions) / seconds,
      rowWrites: (second.rowWrites - first.rowWrites) / seconds,
    },
  };
}

/** Per completed iteration of the whole phase, between two settled readings, less the background work. */
export function settledPerIteration(
  before: SettledCounters,
  after: DatabaseCounters & { at: number },
  completed: number,
) {
  const seconds = (after.at - before.at) / 1000;
  const per = (kind: keyof DatabaseCounters) =>
    (after[kind] - before[kind] - before.background[kind] * seconds) / completed;
  return { transactionsPerIteration: per('transactions'), rowWritesPerIteration: per('rowWrites'), settled: true };
}

/**
 * One decimal, as judged: a settled count still holds a few hundredths that are no iteration's own (measured
 * 12.02 for a login whose 12 test/postgres/login-round-trips.test.ts counts one by one): the background work's
 * rate is an estimate, and a phase's start may cause work of its own.
 */
export const transactionsText = (d: { transactionsPerIteration: number }) => d.transactionsPerIteration.toFixed(1);
