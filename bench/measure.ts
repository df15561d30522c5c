import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { nodeBinary } from '../test/e2e/helpers/server.ts';
import {
  databaseCounters,
  settledCounters,
  settledPerIteration,
  statsSettleSeconds,
  transactionsText,
  type DatabaseCounters,
} from './lib/database-counters.ts';
import type { PostgresCpu } from './lib/postgres-cpu.ts';
import { clockTicks, machineJiffies, sampleMemory, type ServerMeter, type ThreadCpu } from './lib/proc.ts';
import type { Fixtures, FromLoad, Phase, PhaseResult, ScenarioName, ToLoad } from './lib/types.ts';

const workerPath = fileURLToPath(new URL('./load/worker.ts', import.meta.url));

/** A phase's result with the server's side: CPU seconds and memory over the same window. */
export interface MeasuredPhase extends PhaseResult {
  /** Completed iterations per wall second. */
  throughput: number;
  /** CPU seconds the server used in the window (user + system, all threads; all processes of a process tree). */
  serverCpuSeconds: number;
  /** Cores the server kept busy on average (CPU seconds per wall second). */
  serverCores: number;
  /** Completed iterations per CPU second of the server: the headline figure. */
  perCpuSecond: number;
  /**
   * Completed iterations per CPU second of the server plus the PostgreSQL backends that served its database
   * (lib/postgres-cpu.ts): what a small installation, server and database on one machine, pays. Equal to
   * perCpuSecond for a server without a database; absent when PostgreSQL's processes could not be read.
   */
  perCpuSecondWithDatabase?: number;
  /** The same with the whole PostgreSQL cluster's CPU instead of the backends' (an upper bound on a shared machine). */
  perCpuSecondWithCluster?: number;
  /** CPU seconds of the database's backends, and of the whole cluster, in the window (our server only). */
  databaseCpuSeconds?: number;
  clusterCpuSeconds?: number;
  rssPeakBytes: number;
  rssEndBytes: number;
  /**
   * Our Node servers only: CPU milliseconds per completed iteration by kind of thread (lib/proc.ts
   * threadCpuSeconds), to tell the password hash on the libuv pool from the rest on the event loop.
   */
  cpuMsPerIterationByThread?: ThreadCpu;
  /** Cores the load process kept busy. */
  loadCores: number;
  /** Cores busy on the whole machine (everyone's processes, PostgreSQL among them): how shared it was. */
  machineCores: number;
  /**
   * Our server only: PostgreSQL transactions committed per completed
   * iteration (pg_stat_database; a statement outside BEGIN … COMMIT is one),
   * and rows inserted, updated or deleted per iteration. `settled`: counted
   * over the whole phase between two quiet moments (settledCounters), less the
   * server's own background work; otherwise over the window, approximate,
   * since the backends report their counts up to a second late.
   */
  database?: { transactionsPerIteration: number; rowWritesPerIteration: number; settled: boolean };
}

export interface ScenarioRun {
  prepareSeconds: number;
  max: MeasuredPhase;
  half?: MeasuredPhase;
}

/** The load process for one scenario: prepared once, then one phase after another. */
class LoadProcess {
  private readonly child: ChildProcess;
  private readonly listeners = new Set<(message: FromLoad) => void>();
  private exitError: Error | undefined;

  constructor() {
    this.child = fork(workerPath, [], { execPath: nodeBinary, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.child.on('message', (message: FromLoad) => {
      for (const listener of this.listeners) listener(message);
    });
    this.child.on('exit', (code, signal) => {
      this.exitError = new Error(`the load process exited (code ${code}, signal ${signal})`);
      for (const listener of this.listeners) listener({ type: 'failed', message: this.exitError.message });
    });
  }

  /** Sends `message` and resolves with the first reply `done` accepts; `failed` rejects. */
  exchange<T>(
    message: ToLoad,
    done: (reply: FromLoad) => T | undefined,
    onOther?: (reply: FromLoad) => void,
  ): Promise<T> {
    if (this.exitError) return Promise.reject(this.exitError);
    return new Promise<T>((resolve, reject) => {
      const listener = (reply: FromLoad) => {
        if (reply.type === 'failed') {
          this.listeners.delete(listener);
          reject(new Error(`load process: ${reply.message}`));
          return;
        }
        const value = done(reply);
        if (value !== undefined) {
          this.listeners.delete(listener);
          resolve(value);
        } else onOther?.(reply);
      };
      this.listeners.add(listener);
      this.child.send(message);
    });
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.send({ type: 'exit' } satisfies ToLoad);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
}

interface PhaseTarget {
  server: ServerMeter;
  databaseName?: string;
  postgres?: PostgresCpu;
  /** Count the database's work between settled readings (settledCounters): the maximum phase of our server. */
  settle?: boolean;
}

async function runPhase(load: LoadProcess, phase: Phase, target: PhaseTarget): Promise<MeasuredPhase> {
  const { server, databaseName, postgres } = target;
  const settledBefore = databaseName && target.settle ? await settledCounters(databaseName) : undefined;
  let cpuStart = 0;
  let cpuEnd = 0;
  let threadsStart: ThreadCpu | undefined;
  let threadsEnd: ThreadCpu | undefined;
  let backendsStart = 0;
  let backendsEnd = 0;
  let clusterStart = 0;
  let clusterEnd = 0;
  let rss: ReturnType<typeof sampleMemory> | undefined;
  let rssPeakBytes = 0;
  let rssEndBytes = 0;
  let machineStart = machineJiffies();
  let machineBusy = 0;
  let dbStart: Promise<DatabaseCounters> | undefined;
  let dbEnd: Promise<DatabaseCounters> | undefined;
  let windowError: unknown;
  const onWindow = (edge: 'start' | 'end') => {
    if (edge === 'start') {
      cpuStart = server.cpuSeconds();
      threadsStart = server.threadCpuSeconds?.();
      backendsStart = postgres?.backends() ?? 0;
      clusterStart = postgres?.cluster() ?? 0;
      machineStart = machineJiffies();
      if (databaseName && !settledBefore) dbStart = databaseCounters(databaseName);
      rss = sampleMemory(() => server.memoryBytes());
    } else {
      cpuEnd = server.cpuSeconds();
      threadsEnd = server.threadCpuSeconds?.();
      backendsEnd = postgres?.backends() ?? 0;
      clusterEnd = postgres?.cluster() ?? 0;
      machineBusy = (machineJiffies().busy - machineStart.busy) / clockTicks;
      if (databaseName && !settledBefore) dbEnd = databaseCounters(databaseName);
      rssPeakBytes = rss?.stop() ?? 0;
      rssEndBytes = server.memoryBytes();
    }
  };
  const result = await load.exchange<PhaseResult>(
    { type: 'phase', phase },
    (reply) => (reply.type === 'result' ? reply.result : undefined),
    (reply) => {
      if (reply.type !== 'window') return;
      try {
        onWindow(reply.edge);
      } catch (error) {
        // The server is gone (its /proc entry with it): fail the run, not the process, so the database is dropped.
        windowError ??= error;
      }
    },
  );
  const counters = dbStart && dbEnd ? await Promise.all([dbStart, dbEnd]) : undefined;
  let settled: ReturnType<typeof settledPerIteration> | undefined;
  if (databaseName && settledBefore && result.completedInPhase > 0) {
    await new Promise((resolve) => setTimeout(resolve, statsSettleSeconds * 1000));
    const after = { ...(await databaseCounters(databaseName)), at: performance.now() };
    settled = settledPerIteration(settledBefore, after, result.completedInPhase);
  }
  if (windowError) throw windowError;
  const serverCpuSeconds = cpuEnd - cpuStart;
  const [before, after] = counters ?? [];
  const perIteration = (n: number) => (result.completed > 0 ? n / result.completed : NaN);
  const perCpu = (seconds: number) => (seconds > 0 ? result.completed / seconds : NaN);
  const perCpuSecond = perCpu(serverCpuSeconds);
  // Without a database the server is all there is; with one whose processes we cannot read, no figure.
  const databaseFigures = !databaseName
    ? { perCpuSecondWithDatabase: perCpuSecond, perCpuSecondWithCluster: perCpuSecond }
    : postgres
      ? {
          databaseCpuSeconds: backendsEnd - backendsStart,
          clusterCpuSeconds: clusterEnd - clusterStart,
          perCpuSecondWithDatabase: perCpu(serverCpuSeconds + backendsEnd - backendsStart),
          perCpuSecondWithCluster: perCpu(serverCpuSeconds + clusterEnd - clusterStart),
        }
      : {};
  return {
    ...result,
    throughput: result.completed / result.seconds,
    serverCpuSeconds,
    serverCores: serverCpuSeconds / result.seconds,
    perCpuSecond,
    ...databaseFigures,
    rssPeakBytes,
    rssEndBytes,
    ...(threadsStart && threadsEnd && result.completed > 0
      ? { cpuMsPerIterationByThread: perThread(threadsStart, threadsEnd, result.completed) }
      : {}),
    loadCores: result.loadCpuSeconds / result.seconds,
    machineCores: machineBusy / result.seconds,
    ...(settled
      ? { database: settled }
      : before && after
        ? {
            database: {
              transactionsPerIteration: perIteration(after.transactions - before.transactions),
              rowWritesPerIteration: perIteration(after.rowWrites - before.rowWrites),
              settled: false,
            },
          }
        : {}),
  };
}

function perThread(start: ThreadCpu, end: ThreadCpu, completed: number): ThreadCpu {
  const ms = (kind: keyof ThreadCpu) => ((end[kind] - start[kind]) * 1000) / completed;
  return { main: ms('main'), pool: ms('pool'), v8: ms('v8'), other: ms('other') };
}

export interface RunOptions {
  scenario: ScenarioName;
  fixtures: Fixtures;
  /** The server process (or process tree) whose CPU and memory count. */
  server: ServerMeter;
  concurrency: number;
  seconds: number;
  warmupSeconds: number;
  /** Also run at half the maximum throughput, open loop, for the latency at a normal peak. */
  half: boolean;
  warmAccounts?: boolean;
  /** Open loop at this fixed rate instead of finding the maximum (the scale check). */
  fixedRate?: number;
  log: (line: string) => void;
  /** The scratch database of our server, for its transaction counts. */
  databaseName?: string;
  /** Its PostgreSQL processes' CPU time, when they can be read. */
  postgres?: PostgresCpu;
}

const threadsText = (t: ThreadCpu | undefined) =>
  t
    ? `, CPU ms each: event loop ${t.main.toFixed(2)}, libuv pool ${t.pool.toFixed(2)}, V8 workers ${t.v8.toFixed(2)}`
    : '';

const fmt = (phase: MeasuredPhase) =>
  `${phase.throughput.toFixed(1)}/s, ${phase.perCpuSecond.toFixed(1)} per CPU-s${phase.databaseCpuSeconds === undefined ? '' : ` (with DB backends ${phase.perCpuSecondWithDatabase?.toFixed(1)}, with all of PostgreSQL ${phase.perCpuSecondWithCluster?.toFixed(1)})`} (cores busy: server ${phase.serverCores.toFixed(2)}${phase.databaseCpuSeconds === undefined ? '' : `, DB backends ${(phase.databaseCpuSeconds / phase.seconds).toFixed(2)}`}, load ${phase.loadCores.toFixed(2)}, machine ${phase.machineCores.toFixed(2)})${phase.database ? `, ${transactionsText(phase.database)} DB transactions each` : ''}${threadsText(phase.cpuMsPerIterationByThread)}, p50 ${phase.latencyMs.p50.toFixed(1)} ms, p99 ${phase.latencyMs.p99.toFixed(1)} ms, ${phase.errors} errors${phase.errorSamples.length ? ` (${phase.errorSamples[0]})` : ''}`;

/**
 * One scenario: find the maximum throughput with a closed loop at high
 * concurrency, then (with `half`) hold half of it open loop and take the
 * latency there.
 */
export async function runScenario(options: RunOptions): Promise<ScenarioRun> {
  const load = new LoadProcess();
  try {
    const maxInFlight = options.concurrency * 4;
    const slots =
      options.fixedRate === undefined ? Math.max(options.concurrency, options.half ? maxInFlight : 0) : maxInFlight;
    const prepareSeconds = await load.exchange<number>(
      {
        type: 'prepare',
        scenario: options.scenario,
        fixtures: options.fixtures,
        slots,
        warmAccounts: options.warmAccounts ?? false,
      },
      (reply) => (reply.type === 'prepared' ? reply.seconds : undefined),
    );
    options.log(`  prepared in ${prepareSeconds.toFixed(1)} s`);
    if (options.fixedRate !== undefined) {
      const fixed = await runPhase(
        load,
        {
          mode: 'open',
          rate: options.fixedRate,
          maxInFlight,
          warmupSeconds: options.warmupSeconds,
          seconds: options.seconds,
        },
        options,
      );
      options.log(`  open loop at ${options.fixedRate.toFixed(1)}/s: ${fmt(fixed)}`);
      return { prepareSeconds, max: fixed };
    }
    const max = await runPhase(
      load,
      {
        mode: 'closed',
        concurrency: options.concurrency,
        warmupSeconds: options.warmupSeconds,
        seconds: options.seconds,
      },
      // Issue 16 judges the transactions of these two: counted exactly, at 28 s more each.
      { ...options, settle: options.scenario === 'login' || options.scenario === 'refresh' },
    );
    options.log(`  max (closed loop, ${options.concurrency} users): ${fmt(max)}`);
    if (!options.half || !(max.throughput > 0)) return { prepareSeconds, max };
    const half = await runPhase(
      load,
      {
        mode: 'open',
        rate: max.throughput / 2,
        maxInFlight,
        warmupSeconds: options.warmupSeconds,
        seconds: options.seconds,
      },
      options,
    );
    options.log(`  half (open loop, ${(max.throughput / 2).toFixed(1)}/s): ${fmt(half)}`);
    return { prepareSeconds, max, half };
  } finally {
    await load.close();
  }
}
