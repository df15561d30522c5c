// Runs the fuzz groups (test/fuzz/*.fuzz.ts), one app per file, as many at once as there are cores.
// FUZZ_RUNS sets the inputs per target (default 10 000), FUZZ_SEED replays, FUZZ_ONLY picks targets by route.
import { spawnSync } from 'node:child_process';
import { globSync } from 'node:fs';
import { availableParallelism } from 'node:os';

const files = globSync('test/fuzz/*.fuzz.ts').sort();
const args = [
  '--test',
  '--test-reporter=spec',
  `--test-concurrency=${availableParallelism()}`,
  ...process.argv.slice(2),
  ...files,
];
const result = spawnSync(process.execPath, args, { stdio: 'inherit' });
process.exit(result.status ?? 1);
