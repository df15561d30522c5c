// Runs the fault tests (test/faults/*.fault.ts) one file at a time: each starts real servers and
// breaks them, so they must not compete with one another for the two cores. Named *.fault.ts so
// that `npm test` (test/run.ts, which takes *.test.ts) leaves them out.
import { spawnSync } from 'node:child_process';
import { globSync } from 'node:fs';

const files = globSync('test/faults/*.fault.ts').sort();
const result = spawnSync(
  process.execPath,
  ['--test', '--test-concurrency=1', '--test-reporter=spec', ...process.argv.slice(2), ...files],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
