import type { MeasuredPhase } from './measure.ts';

/** What the section reads of a report's scenarios (report.ts `ScenarioReport`). */
interface ThreadRow {
  title: string;
  server: string;
  max: Pick<MeasuredPhase, 'cpuMsPerIterationByThread'>;
}

/** CPU per iteration by thread of the Node servers (ours and the bare library): where the time went. */
export function threadSection(report: { scenarios: readonly ThreadRow[] }): string[] {
  const rows = report.scenarios.filter((s) => s.max.cpuMsPerIterationByThread);
  if (rows.length === 0) return [];
  const lines = [
    '## Where the CPU goes, by thread',
    '',
    'CPU milliseconds per iteration in the maximum phase, from each thread’s /proc time: the **event loop** (JavaScript, page rendering, the pg client, synchronous crypto such as SAML’s RSA signatures), the **libuv pool** (argon2 hashing, jose’s asynchronous signatures), **V8’s workers** (concurrent garbage collection, background compilation). A login’s hash runs on the pool: compare its column with the hash alone (above) to see what hashing costs inside a loaded server.',
    '',
    '| scenario | server | event loop | libuv pool | V8 workers | other | total |',
    '|---|---|--:|--:|--:|--:|--:|',
  ];
  for (const s of rows) {
    const t = s.max.cpuMsPerIterationByThread;
    if (!t) continue;
    const total = t.main + t.pool + t.v8 + t.other;
    lines.push(
      `| ${s.title} | ${s.server} | ${t.main.toFixed(2)} | ${t.pool.toFixed(2)} | ${t.v8.toFixed(2)} | ${t.other.toFixed(2)} | ${total.toFixed(2)} |`,
    );
  }
  lines.push('');
  return lines;
}
