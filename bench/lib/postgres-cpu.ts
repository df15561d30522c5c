import { readFileSync } from 'node:fs';
import pg from 'pg';
import { processTimes, treeCpuSeconds, uptimeSeconds } from './proc.ts';

/**
 * The CPU time PostgreSQL spends for the server under load, from /proc,
 * when PostgreSQL runs on this machine (its pids are ours to read:
 * /proc/<pid>/stat is readable by every user, whoever owns the process).
 *
 * - `backends`: the processes pg_stat_activity shows on the scratch
 *   database: the pool's client backends, and autovacuum and parallel
 *   workers while they work on it (their work is caused by our writes and
 *   queries). The list is polled every 250 ms and the last reading of every
 *   backend is kept, also after it ended (the pool opens connections late
 *   and closes them after 10 s idle); a backend born after the watch began
 *   counts from zero, so its start-up counts too. A backend that ends loses
 *   at most its last 250 ms.
 * - `cluster`: the postmaster and all its children (background writer,
 *   checkpointer, WAL writer, autovacuum launcher, every database's
 *   backends, the ones that ended included: the postmaster reaps them, see
 *   treeCpuSeconds). It includes the WAL flushes and checkpoints our writes
 *   cause, which `backends` misses, and also whatever else uses the cluster
 *   (other databases, this watch's own queries): exact on a machine of its
 *   own, an upper bound on a shared one.
 */
export interface PostgresCpu {
  backends(): number;
  cluster(): number;
  stop(): Promise<void>;
}

interface Watched {
  pid: number;
  startedAt: number;
  baseline: number;
  last: number;
}

const isPostgres = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres';
  } catch {
    return false;
  }
};

/** Starts watching; a sentence why not when PostgreSQL is not a local process we can see. */
export async function watchPostgres(
  adminUrl: string,
  database: string,
  intervalMs = 250,
): Promise<PostgresCpu | { unavailable: string }> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5_000 });
  await client.connect();
  const own = Number((await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid);
  // In another pid namespace (a container, another host) the number names no postgres process here.
  let postmaster: number | undefined;
  try {
    postmaster = isPostgres(own) ? processTimes(own).ppid : undefined;
  } catch {
    postmaster = undefined;
  }
  if (postmaster === undefined || !isPostgres(postmaster)) {
    await client.end();
    return {
      unavailable: `PostgreSQL's backend ${own} is not a postgres process in this machine's /proc (another host or container)`,
    };
  }
  const root = postmaster;
  const began = uptimeSeconds();
  const watched = new Map<string, Watched>();

  const read = (entry: Watched) => {
    try {
      const times = processTimes(entry.pid);
      // The same number may name a later process: only the one we saw start counts.
      if (times.startedAt === entry.startedAt) entry.last = times.own;
    } catch {
      // Ended: its last reading stands.
    }
  };
  const add = (pid: number) => {
    let times;
    try {
      times = processTimes(pid);
    } catch {
      return;
    }
    const key = `${pid}@${times.startedAt}`;
    if (watched.has(key)) return;
    watched.set(key, {
      pid,
      startedAt: times.startedAt,
      baseline: times.startedAt >= began ? 0 : times.own,
      last: times.own,
    });
  };
  let polling: Promise<void> | undefined;
  const poll = async () => {
    const { rows } = await client.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [
      database,
    ]);
    for (const entry of watched.values()) read(entry);
    for (const { pid } of rows) add(pid);
  };
  await poll();
  const timer = setInterval(() => {
    polling ??= poll()
      .catch(() => undefined)
      .finally(() => (polling = undefined));
  }, intervalMs);
  timer.unref();

  return {
    backends() {
      let total = 0;
      for (const entry of watched.values()) {
        read(entry);
        total += entry.last - entry.baseline;
      }
      return total;
    },
    cluster: () => treeCpuSeconds(root),
    async stop() {
      clearInterval(timer);
      await polling;
      await client.end();
    },
  };
}
