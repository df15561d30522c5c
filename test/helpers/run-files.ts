// A pool that runs test jobs in parallel, one node --test process each, and prints each job's report whole when it
// ends, so that parallel output does not interleave. A job is one file, or a batch of files that share one process
// (--test-isolation=none): the app's code is loaded, compiled and warmed up once for the batch instead of once per
// file, and the batch's test apps reuse each other's databases (test/helpers/db-template.ts).
import { spawn } from 'node:child_process';

export interface Counts {
  tests: number;
  pass: number;
  fail: number;
  cancelled: number;
  skipped: number;
  todo: number;
}

/** Files run in one process; a batch has a name for the report. */
export interface Job {
  name: string;
  files: string[];
}

export interface FileResult {
  /** The job's name: the file, or the batch. */
  file: string;
  ok: boolean;
  ms: number;
  counts: Counts;
}

export interface PoolOptions {
  concurrency: number;
  /** Extra arguments for node --test (for example --test-name-pattern). */
  nodeArgs: string[];
  env: NodeJS.ProcessEnv;
  /** Jobs of which at most one runs at a time. */
  exclusive?: (job: Job) => boolean;
}

const countNames = ['tests', 'pass', 'fail', 'cancelled', 'skipped', 'todo'] as const;

/** The totals the spec reporter prints last ("ℹ pass 12"). */
function countsOf(output: string): Counts {
  const counts: Counts = { tests: 0, pass: 0, fail: 0, cancelled: 0, skipped: 0, todo: 0 };
  for (const name of countNames) {
    const match = new RegExp(`^ℹ ${name} (\\d+)$`, 'm').exec(output);
    if (match?.[1]) counts[name] = Number(match[1]);
  }
  return counts;
}

function runOne(job: Job, options: PoolOptions): Promise<FileResult> {
  const started = Date.now();
  const file = job.name;
  const isolation = job.files.length > 1 ? ['--test-isolation=none'] : [];
  const child = spawn(
    process.execPath,
    ['--test', '--test-reporter=spec', ...isolation, ...options.nodeArgs, ...job.files],
    {
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  return new Promise((resolve) => {
    child.on('close', (code) => {
      const ms = Date.now() - started;
      const ok = code === 0;
      process.stdout.write(`\n━━ ${file} ━━\n${output}${ok ? '✔' : '✖'} ${file} (${(ms / 1000).toFixed(1)} s)\n`);
      resolve({ file, ok, ms, counts: countsOf(output) });
    });
  });
}

/** Runs `jobs` in the order given, `concurrency` at a time. */
export function runPool(jobs: Job[], options: PoolOptions): Promise<FileResult[]> {
  const exclusive = options.exclusive ?? (() => false);
  const queue = [...jobs];
  const results: FileResult[] = [];
  let running = 0;
  let exclusiveRunning = false;
  return new Promise((resolve) => {
    const next = () => {
      if (queue.length === 0 && running === 0) return resolve(results);
      while (running < options.concurrency) {
        const index = queue.findIndex((job) => !(exclusiveRunning && exclusive(job)));
        if (index < 0) return;
        const [job] = queue.splice(index, 1) as [Job];
        const isExclusive = exclusive(job);
        running++;
        if (isExclusive) exclusiveRunning = true;
        void runOne(job, options).then((result) => {
          running--;
          if (isExclusive) exclusiveRunning = false;
          results.push(result);
          next();
        });
      }
    };
    next();
  });
}
