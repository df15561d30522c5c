// Which test files run how (test/run.ts). Files run in parallel, each in its own process, unless listed here.
import { globSync } from 'node:fs';

/** The fast tier (`npm run test:unit`): unit tests beside the code and checks of files, no app, server or browser. */
export function unitFiles(): string[] {
  return [...globSync('src/**/*.test.ts'), 'test/deps.test.ts', 'test/readme.test.ts'].sort();
}

export function allFiles(): string[] {
  return [...globSync('src/**/*.test.ts'), ...globSync('test/**/*.test.ts')].sort();
}

/**
 * Files that compare durations ("an unknown name takes about as long as a wrong password", sockets cut off
 * within a limit, throttle delays): they run last, one at a time, on an otherwise idle machine, so the
 * others' load cannot skew what they measure.
 */
export const quiet = new Set([
  'test/http/login.test.ts',
  'test/http/login-throttle.test.ts',
  'test/http/connections.test.ts',
]);

/** Files that drive Chromium beside a server: at most one of them runs at a time. */
export const heavy = (file: string) => file.startsWith('test/browser/');

/** Started first so that the longest files do not finish last alone (longest-first scheduling). */
export const long = (file: string) => heavy(file) || file.startsWith('test/e2e/') || file === 'test/cli.test.ts';
