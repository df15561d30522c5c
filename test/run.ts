// Runs the test files with node's test runner: unit tests beside the code, HTTP, end-to-end and browser tests in test/.
// Jobs run in parallel, each in its own process (test/helpers/run-files.ts): a file alone, or a batch of HTTP or unit
// test files in one process; the files that measure durations run afterwards one at a time
// (test/helpers/test-files.ts). Test apps start from one migrated embedded database made here once per run
// (test/helpers/db-template.ts).
//
//   node test/run.ts [--unit] [files…] [node --test options…]
//   --unit   only the fast tier: no app, server or browser
//   TEST_CONCURRENCY   jobs at a time (default: cores + 1; the files wait on sockets and child processes too)
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildTemplate, templateVariable } from './helpers/db-template.ts';
import { runPool, type FileResult } from './helpers/run-files.ts';
import { allFiles, heavy, jobsOf, quiet, unitFiles } from './helpers/test-files.ts';

const started = Date.now();
const args = process.argv.slice(2);
const unitOnly = args.includes('--unit');
const named = args.filter((arg) => arg.endsWith('.test.ts'));
const nodeArgs = args.filter((arg) => arg !== '--unit' && !named.includes(arg));
const files = named.length > 0 ? named : unitOnly ? unitFiles() : allFiles();
const concurrency = Number(process.env.TEST_CONCURRENCY) || availableParallelism() + 1;

const template = mkdtempSync(join(tmpdir(), 'sk-db-template-'));
process.once('exit', () => rmSync(template, { recursive: true, force: true }));
if (!unitOnly) {
  await buildTemplate(template);
  console.log(`Migrated the template database in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
}
// Every test process imports the same modules: V8's compile cache (Node 22.1+) spares each one the compilation.
const env = { ...process.env, [templateVariable]: template, NODE_COMPILE_CACHE: join(template, 'compile-cache') };

const results: FileResult[] = [
  ...(await runPool(jobsOf(files.filter((file) => !quiet.has(file))), {
    concurrency,
    nodeArgs,
    env,
    exclusive: (job) => job.files.some(heavy),
  })),
  ...(await runPool(
    files.filter((file) => quiet.has(file)).map((file) => ({ name: file, files: [file] })),
    { concurrency: 1, nodeArgs, env },
  )),
];

const total = (name: keyof FileResult['counts']) => results.reduce((sum, result) => sum + result.counts[name], 0);
const failed = results.filter((result) => !result.ok);
console.log(
  `\n${files.length} files in ${results.length} processes, ${total('tests')} tests: ${total('pass')} passed, ${total('fail')} failed, ${total('cancelled')} cancelled, ${total('skipped')} skipped, ${total('todo')} todo`,
);
for (const result of failed) console.log(`✖ ${result.file}`);
console.log(
  `${failed.length === 0 ? 'All files passed' : `${failed.length} files failed`} in ${((Date.now() - started) / 1000).toFixed(1)} s (${concurrency} at a time).`,
);
process.exit(failed.length === 0 ? 0 : 1);
