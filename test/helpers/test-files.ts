// Which test files run how (test/run.ts): alone in a process, or batched with others of their kind in one process.
import { globSync } from 'node:fs';
import type { Job } from './run-files.ts';

/** The fast tier (`npm run test:unit`): unit tests beside the code and checks of files, no app, server or browser. */
export function unitFiles(): string[] {
  return [...globSync('src/**/*.test.ts'), 'test/deps.test.ts', 'test/readme.test.ts'].sort();
}

export function allFiles(): string[] {
  return [...globSync('src/**/*.test.ts'), ...globSync('test/**/*.test.ts'), ...globSync('bench/**/*.test.ts')].sort();
}

/**
 * Files that compare durations ("an unknown name takes about as long as a wrong password", sockets cut off
 * within a limit, throttle delays, the first paint on emulated Fast 3G): they run last, one at a time, on an
 * otherwise idle machine, so the others' load cannot skew what they measure.
 */
export const quiet = new Set([
  'test/http/login.test.ts',
  'test/http/login-throttle.test.ts',
  'test/http/connections.test.ts',
  'test/browser/light-pages.test.ts',
]);

/** Files that drive Chromium beside a server: at most one of them runs at a time. */
export const heavy = (file: string) => file.startsWith('test/browser/');

/** Started first so that the longest files do not finish last alone (longest-first scheduling). */
const long = (file: string) => heavy(file) || file.startsWith('test/e2e/') || file === 'test/cli.test.ts';

/** HTTP tests against the app through `inject`: batched, this many batches so that they spread over the cores. */
const httpBatches = 3;

/**
 * Jobs in the order they start, longest first: browser, end-to-end and CLI files alone (they start servers and
 * browsers of their own), then the HTTP tests in a few batches, the unit tests in one batch, the rest alone. Each
 * batch is one process: the app is loaded and warmed up once instead of once per file (about 2 s of CPU a file).
 */
export function jobsOf(files: string[]): Job[] {
  const alone = (file: string): Job => ({ name: file, files: [file] });
  const batch = (name: string, batched: string[]): Job[] =>
    batched.length > 1 ? [{ name: `${name} (${batched.length} files)`, files: batched }] : batched.map(alone);
  const unit = new Set(unitFiles());
  const http = files.filter((file) => file.startsWith('test/http/'));
  const rest = files.filter((file) => !long(file) && !unit.has(file) && !http.includes(file));
  return [
    ...files.filter(long).map(alone),
    ...Array.from({ length: httpBatches }, (_, i) =>
      batch(
        `HTTP tests, batch ${i + 1}`,
        http.filter((_, at) => at % httpBatches === i),
      ),
    ).flat(),
    ...batch(
      'unit tests',
      files.filter((file) => unit.has(file)),
    ),
    ...rest.map(alone),
  ];
}
