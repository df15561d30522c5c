import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { HashReference } from './hash-reference.ts';
import type { MeasuredPhase } from './measure.ts';
import type { ScenarioName } from './lib/types.ts';

/** Keycloak's published sizing figures, per vCPU (Keycloak "Concepts for sizing CPU and memory resources"). */
export interface ScenarioReport {
  id: string;
  title: string;
  scenario: ScenarioName;
  server: 'servicekonto' | 'bare oidc-provider';
  hash?: { timeCost: number; memoryKiB: number; parallelism: number };
  concurrency: number;
  prepareSeconds: number;
  max: MeasuredPhase;
  half?: MeasuredPhase;
  keycloakPerVcpu?: number;
  target?: { perCpuSecond?: number; p99Ms?: number };
  /** The bare library's run of the same scenario, for the ratio. */
  baselineId?: string;
}

export interface ScaleReport {
  rate: number;
  seconds: number;
  small: { accounts: number; phase: MeasuredPhase };
  large: { accounts: number; phase: MeasuredPhase; loadSeconds: number };
  p99Ratio: number;
  p95Ratio: number;
  p50Ratio: number;
  target: number;
}

export interface BenchReport {
  startedAt: string;
  finishedAt: string;
  note: string;
  machine: {
    cpus: number;
    loadAverageAtStart: number;
    loadAverageAtEnd: number;
    node: string;
    postgres: string;
    commit: string;
    clockTicks: number;
  };
  options: Record<string, unknown>;
  setup: {
    measuredAccounts: number;
    accountsInDatabase: number;
    accountsAfterScale?: number;
    clientCredentialsRegisteredBy: string;
    forwardedFor: string;
    logLevel: string;
  };
  idle: { label: string; rssBytes: number }[];
  idleRssTargetBytes: number;
  hashReference: HashReference[];
  scenarios: ScenarioReport[];
  scale?: ScaleReport;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const num = (value: number | undefined, digits = 0) =>
  value === undefined || !Number.isFinite(value)
    ? '–'
    : value.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const ms = (value: number | undefined) =>
  value === undefined || !Number.isFinite(value) ? '–' : value < 10 ? value.toFixed(1) : value.toFixed(0);
const ratio = (value: number | undefined) =>
  value === undefined || !Number.isFinite(value) ? '–' : `${value.toFixed(2)}×`;
const verdict = (ok: boolean | undefined) => (ok === undefined ? '' : ok ? 'met' : '**missed**');
/** The scenario's title, marked when it ran against the bare library. */
const named = (s: ScenarioReport) => (s.server === 'bare oidc-provider' ? `${s.title} (bare oidc-provider)` : s.title);
const hashName = (h: ScenarioReport['hash']) => (h ? `t=${h.timeCost}, m=${h.memoryKiB} KiB, p=${h.parallelism}` : '');

export function perCpuVerdict(s: ScenarioReport): boolean | undefined {
  return s.target?.perCpuSecond === undefined ? undefined : s.max.perCpuSecond >= s.target.perCpuSecond;
}

export function p99Verdict(s: ScenarioReport): boolean | undefined {
  return s.target?.p99Ms === undefined || !s.half
    ? undefined
    : s.half.latencyMs.p99 <= s.target.p99Ms && s.half.errors === 0;
}

/** The results as a markdown document: the headline table, latencies, baseline ratios, scale, memory. */
export function markdown(report: BenchReport): string {
  const lines: string[] = [];
  const push = (...more: string[]) => lines.push(...more);
  push(`# Servicekonto benchmark, ${report.startedAt}`, '');
  push(`${report.note}`, '');
  push(
    `Machine: ${report.machine.cpus} CPUs, load average ${report.machine.loadAverageAtStart.toFixed(2)} at the start and ${report.machine.loadAverageAtEnd.toFixed(2)} at the end; Node ${report.machine.node}; ${report.machine.postgres}; commit ${report.machine.commit}.`,
    `Each phase measured ${report.options.duration} s after ${report.options.warmup} s of warm-up; ${report.setup.measuredAccounts} measured accounts among ${report.setup.accountsInDatabase.toLocaleString('en')} in the database${report.setup.accountsAfterScale ? ` (${report.setup.accountsAfterScale.toLocaleString('en')} for the second half of the scale check only)` : ''}; server LOG_LEVEL=${report.setup.logLevel}.`,
    '',
    'Figures are **per CPU-second of the server process** (its own user + system time from /proc, all threads; not the load generator, not PostgreSQL) and ratios. The wall-clock throughput depends on what else the machine was doing and is shown only to explain the latency runs.',
    '',
  );

  push('## Throughput per CPU-second', '');
  push(
    '| scenario | server | per CPU-s | Keycloak per vCPU | × Keycloak | target per CPU-s | | max throughput /s (wall) | cores busy: server / load generator / machine | DB transactions per iteration | errors |',
  );
  push('|---|---|--:|--:|--:|--:|---|--:|--:|--:|--:|');
  for (const s of report.scenarios) {
    const kc = s.keycloakPerVcpu;
    push(
      `| ${s.title} | ${s.server} | ${num(s.max.perCpuSecond, 1)} | ${num(kc)} | ${kc ? ratio(s.max.perCpuSecond / kc) : '–'} | ${num(s.target?.perCpuSecond)} | ${verdict(perCpuVerdict(s))} | ${num(s.max.throughput, 1)} | ${s.max.serverCores.toFixed(2)} / ${s.max.loadCores.toFixed(2)} / ${s.max.machineCores.toFixed(2)} | ${num(s.max.database?.transactionsPerIteration, 1)} | ${s.max.errors} |`,
    );
  }
  push('');

  push(
    '## Latency',
    '',
    'At the maximum (closed loop, all virtual users busy) and at half the maximum (open loop at a fixed arrival rate; latency from when a request was due, so queueing counts). Milliseconds; one iteration of a login is the whole flow including the code exchange, of SAML the redirect request and the answer page. The bare library’s rows show what the machine and the load generator alone add in this run.',
    '',
  );
  push(
    '| scenario | users at max | p50 | p95 | p99 at max | rate at half /s | p50 | p95 | p99 at half | p99 target | | errors at half |',
  );
  push('|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|--:|');
  for (const s of report.scenarios) {
    const h = s.half;
    push(
      `| ${named(s)} | ${s.concurrency} | ${ms(s.max.latencyMs.p50)} | ${ms(s.max.latencyMs.p95)} | ${ms(s.max.latencyMs.p99)} | ${h ? num(h.load, 1) : '–'} | ${ms(h?.latencyMs.p50)} | ${ms(h?.latencyMs.p95)} | ${ms(h?.latencyMs.p99)} | ${num(s.target?.p99Ms)} | ${verdict(p99Verdict(s))} | ${h ? h.errors + h.notStarted : '–'} |`,
    );
  }
  push('');

  const withBaseline = report.scenarios.filter((s) => s.baselineId);
  if (withBaseline.length > 0) {
    push(
      '## Against the bare library',
      '',
      'oidc-provider 9 alone (in-memory adapter, ES256 key, one confidential client) in its own process, same load generator, same run. The ratio is the share of the bare library’s rate per CPU-second that remains with our layers (PostgreSQL adapter, pairwise subjects, account lookups, claims, hardening).',
      '',
    );
    push('| scenario | ours per CPU-s | bare per CPU-s | ours ÷ bare |');
    push('|---|--:|--:|--:|');
    for (const s of withBaseline) {
      const bare = report.scenarios.find((b) => b.id === s.baselineId);
      if (!bare) continue;
      push(
        `| ${s.title} | ${num(s.max.perCpuSecond, 1)} | ${num(bare.max.perCpuSecond, 1)} | ${ratio(s.max.perCpuSecond / bare.max.perCpuSecond)} |`,
      );
    }
    push('');
  }

  if (report.hashReference.length > 0) {
    push(
      '## The password hash alone',
      '',
      'argon2id verifications per CPU-second in the harness process, one after another: the ceiling for a login, which verifies once.',
      '',
    );
    push('| parameters | verifications per CPU-s | login at these parameters per CPU-s | login ÷ hash |');
    push('|---|--:|--:|--:|');
    for (const h of report.hashReference) {
      const login = report.scenarios.find(
        (s) => s.scenario === 'login' && s.hash?.timeCost === h.timeCost && s.hash.memoryKiB === h.memoryKiB,
      );
      push(
        `| t=${h.timeCost}, m=${h.memoryKiB} KiB, p=${h.parallelism} | ${num(h.verifiesPerCpuSecond, 1)} | ${login ? num(login.max.perCpuSecond, 1) : '–'} | ${login ? ratio(login.max.perCpuSecond / h.verifiesPerCpuSecond) : '–'} |`,
      );
    }
    push('');
  }

  if (report.scale) {
    const { scale } = report;
    push(
      '## Scale',
      '',
      `Logins at a fixed ${scale.rate.toFixed(1)}/s (open loop, ${scale.seconds} s) with ${scale.small.accounts.toLocaleString('en')} and with ${scale.large.accounts.toLocaleString('en')} accounts (bulk-loaded, vacuumed and checkpointed in ${scale.large.loadSeconds.toFixed(0)} s).`,
      '',
    );
    push('| accounts | p50 | p95 | p99 | per CPU-s | errors |');
    push('|--:|--:|--:|--:|--:|--:|');
    for (const row of [scale.small, scale.large])
      push(
        `| ${row.accounts.toLocaleString('en')} | ${ms(row.phase.latencyMs.p50)} | ${ms(row.phase.latencyMs.p95)} | ${ms(row.phase.latencyMs.p99)} | ${num(row.phase.perCpuSecond, 1)} | ${row.phase.errors} |`,
      );
    push(
      '',
      `p99 ratio ${ratio(scale.p99Ratio)} (target ≤ ${scale.target}×: ${verdict(scale.p99Ratio <= scale.target)}); p95 ratio ${ratio(scale.p95Ratio)}, p50 ratio ${ratio(scale.p50Ratio)}. The bulk load is followed by VACUUM (ANALYZE) and a CHECKPOINT before the second measurement. A p99 of one ${scale.seconds} s run is about its ${Math.max(1, Math.round(scale.rate * scale.seconds * 0.01))} slowest logins: on a shared machine, read it together with p95 and p50.`,
      '',
    );
  }

  push('## Memory', '', `Resident set size of the server process; target idle ≤ ${mb(report.idleRssTargetBytes)}.`, '');
  push('| when | RSS | |');
  push('|---|--:|---|');
  for (const idle of report.idle)
    push(
      `| idle: ${idle.label} | ${mb(idle.rssBytes)} | ${idle.label.startsWith('bare') ? '' : verdict(idle.rssBytes <= report.idleRssTargetBytes)} |`,
    );
  for (const s of report.scenarios)
    push(`| peak during ${named(s)} | ${mb(Math.max(s.max.rssPeakBytes, s.half?.rssPeakBytes ?? 0))} | |`);
  push('');

  const failures = report.scenarios.flatMap((s) =>
    [...s.max.errorSamples, ...(s.half?.errorSamples ?? [])].map((e) => `- ${named(s)}: ${e}`),
  );
  if (failures.length > 0) push('## Errors seen', '', ...failures, '');

  push('## Set-up', '');
  push(
    `- Password scenarios: ${
      report.scenarios
        .filter((s) => s.hash)
        .map((s) => `${s.title}: ${hashName(s.hash)}`)
        .join('; ') || '–'
    }.`,
  );
  push(`- client_credentials: ${report.setup.clientCredentialsRegisteredBy}.`);
  push(`- Citizens' addresses: ${report.setup.forwardedFor}.`);
  push('');
  return lines.join('\n');
}

export async function writeReport(
  report: BenchReport,
  directory: string,
): Promise<{ json: string; md: string; latest: string }> {
  await mkdir(directory, { recursive: true });
  const stamp = report.startedAt.replace(/[:]/g, '-').replace(/\.\d+Z$/, 'Z');
  const json = join(directory, `${stamp}.json`);
  const md = join(directory, `${stamp}.md`);
  const latest = join(directory, 'latest.md');
  const text = markdown(report);
  await writeFile(json, `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(md, text);
  await writeFile(latest, text);
  return { json, md, latest };
}
