// Runs the interop tests (test/interop/*.interop.ts) one stack at a time: each starts our server and
// a service provider stack in its stock configuration. Named *.interop.ts so that `npm test`
// (test/run.ts, which takes *.test.ts) leaves them out; they need the Debian packages of install.sh.
import { spawnSync } from 'node:child_process';
import { globSync } from 'node:fs';

const files = globSync('test/interop/*.interop.ts').sort();
const result = spawnSync(
  process.execPath,
  [
    '--test',
    '--test-concurrency=1',
    '--test-timeout=240000',
    '--test-reporter=spec',
    ...process.argv.slice(2),
    ...files,
  ],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
