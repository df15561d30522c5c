import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import pg from 'pg';
import {
  createScratchDatabase,
  dropScratchDatabase,
  exited,
  nodeBinary,
  postgresAdminUrl,
} from '../../test/e2e/helpers/server.ts';
import { watchPostgres } from './postgres-cpu.ts';
import { cpuSeconds, threadCpuSeconds, treeCpuSeconds } from './proc.ts';

/**
 * The bench's CPU accounting with real processes: the time of processes
 * that ended inside a window must still count (bench/README.md, "Figures are
 * per CPU-second"). Run by name: `node test/run.ts bench/lib/cpu.test.ts`.
 */

/** Node code that uses `seconds` of CPU time (not wall time: on a busy machine a wall-time loop gets less). */
const burn = (seconds: number) =>
  `const start = process.cpuUsage(); const used = () => { const u = process.cpuUsage(start); return (u.user + u.system) / 1e6; }; while (used() < ${seconds}) {}`;

test('a process tree keeps the CPU time of a child that ended (its parent reaped it)', async () => {
  // A parent that starts a busy child, waits for it, then idles until told to stop.
  const parent = spawn(
    nodeBinary,
    [
      '-e',
      `const { spawnSync } = require('node:child_process');
       spawnSync(process.execPath, ['-e', ${JSON.stringify(burn(0.6))}]);
       process.stdout.write('reaped\\n');
       setInterval(() => {}, 1000);`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  try {
    const pid = parent.pid;
    assert.ok(pid);
    const before = treeCpuSeconds(pid);
    const ownBefore = cpuSeconds(pid);
    await new Promise<void>((resolve) => parent.stdout.once('data', () => resolve()));
    const after = treeCpuSeconds(pid);
    const own = cpuSeconds(pid) - ownBefore;
    // The child used 0.6 s and is gone; what the tree gained besides the parent's own time is the child's.
    assert.ok(after - before - own >= 0.55, `the tree gained ${(after - before - own).toFixed(2)} s besides its own`);
  } finally {
    parent.kill('SIGKILL');
    await exited(parent, 5_000);
  }
});

test("the database's backends keep the CPU time of a backend that ended; other databases' do not count", async () => {
  const database = await createScratchDatabase();
  const other = await createScratchDatabase();
  const watch = await watchPostgres(postgresAdminUrl, database.name);
  if ('unavailable' in watch) assert.fail(`PostgreSQL is not local here: ${watch.unavailable}`);
  try {
    const busy = async (url: string) => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      // Let the watch see this backend (it polls every 250 ms) before it works and ends.
      await new Promise((resolve) => setTimeout(resolve, 600));
      await client.query('SELECT count(*) FROM generate_series(1, 8000000)');
      await client.end();
    };
    const start = watch.backends();
    const clusterStart = watch.cluster();
    await busy(other.url);
    const afterOther = watch.backends();
    await busy(database.url);
    await new Promise((resolve) => setTimeout(resolve, 600));
    const end = watch.backends();
    const clusterEnd = watch.cluster();
    assert.ok(afterOther - start < 0.05, `another database's work counted: ${(afterOther - start).toFixed(2)} s`);
    assert.ok(end - afterOther >= 0.2, `the ended backend's work counted ${(end - afterOther).toFixed(2)} s only`);
    assert.ok(clusterEnd - clusterStart >= end - start, 'the whole cluster used less than one of its databases');
  } finally {
    await watch.stop();
    await dropScratchDatabase(database.name);
    await dropScratchDatabase(other.name);
  }
});

test('a Node process’s CPU splits into its event loop and its libuv pool by thread name', async () => {
  // Hashing on the pool (async pbkdf2, as argon2 runs there), then the same on the event loop (sync), each for a while.
  const child = spawn(
    nodeBinary,
    [
      '-e',
      `const c = require('node:crypto');
       const pool = () => new Promise((r) => c.pbkdf2('p', 's', 200000, 32, 'sha256', r));
       (async () => {
         for (let i = 0; i < 6; i++) await Promise.all([pool(), pool()]);
         process.stdout.write('pool done\\n');
         for (let i = 0; i < 6; i++) c.pbkdf2Sync('p', 's', 200000, 32, 'sha256');
         process.stdout.write('main done\\n');
         setInterval(() => {}, 1000);
       })();`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  try {
    let output = '';
    const reached = (text: string) =>
      new Promise<void>((resolve) => {
        const check = () => (output.includes(text) ? resolve() : undefined);
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          check();
        });
        check();
      });
    await reached('pool done');
    const afterPool = threadCpuSeconds(child.pid as number);
    await reached('main done');
    const afterMain = threadCpuSeconds(child.pid as number);
    assert.ok(afterPool.pool > 0.1, `pool ${afterPool.pool} s after hashing there`);
    assert.ok(
      afterMain.main - afterPool.main > 0.1,
      `event loop ${afterMain.main - afterPool.main} s after hashing there`,
    );
    assert.ok(afterMain.pool - afterPool.pool < 0.05, 'the pool idles while the event loop hashes');
    const total = afterMain.main + afterMain.pool + afterMain.v8 + afterMain.other;
    assert.ok(Math.abs(total - cpuSeconds(child.pid as number)) < 0.1, 'the threads add up to the process');
  } finally {
    child.kill();
    await exited(child);
  }
});
