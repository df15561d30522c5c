// A pool that runs test files in parallel, one node --test process each, and prints each file's
// report whole when it ends, so that parallel output does not interleave.
import { spawn } from 'node:child_process';

export interface Counts {
  tests: number;
  pass: number;
  fail: number;
  cancelled: number;
  skipped: number;
  todo: number;
}

export interface FileResult {
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
  /** Files of which at most one runs at a time. */
  exclusive?: (file: string) => boolean;
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

function runOne(file: string, options: PoolOptions): Promise<FileResult> {
  const started = Date.now();
  const child = spawn(process.execPath, ['--test', '--test-reporter=spec', ...options.nodeArgs, file], {
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
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

/** Runs `files` in the order given, `concurrency` at a time. */
export function runPool(files: string[], options: PoolOptions): Promise<FileResult[]> {
  const exclusive = options.exclusive ?? (() => false);
  const queue = [...files];
  const results: FileResult[] = [];
  let running = 0;
  let exclusiveRunning = false;
  return new Promise((resolve) => {
    const next = () => {
      if (queue.length === 0 && running === 0) return resolve(results);
      while (running < options.concurrency) {
        const index = queue.findIndex((file) => !(exclusiveRunning && exclusive(file)));
        if (index < 0) return;
        const [file] = queue.splice(index, 1) as [string];
        const isExclusive = exclusive(file);
        running++;
        if (isExclusive) exclusiveRunning = true;
        void runOne(file, options).then((result) => {
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
