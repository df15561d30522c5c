import type { BenchReport, ScenarioReport } from './report.ts';
import { transactionsText } from './lib/database-counters.ts';
import { mb, ratio, verdict } from './lib/format.ts';

/**
 * The criteria of issue 16 ("Performance"), judged as ratios within one run
 * where they can be, so that a shared, loaded machine moves both sides of a
 * ratio alike. Issue 7's absolute targets stay in the plan (plan.ts) and in
 * the tables; these come on top.
 */
export const issue16 = {
  /** A password login per CPU-second against argon2id verifications per CPU-second at the same parameters. */
  loginOfHash: 0.75,
  /** Refresh and client-credentials grants per CPU-second (server only) against the bare oidc-provider. */
  grantOfBare: 0.6,
  /** SAML SSO Responses per CPU-second of the server. */
  samlPerCpuSecond: 230,
  /** SAML SSO per CPU-second against SimpleSAMLphp (--peer simplesamlphp) in the same run. */
  samlOfPeer: 2,
  idleRssBytes: 120 * 1024 * 1024,
  /** Peak RSS of the server in the login scenarios' maximum-load phase. */
  loginPeakRssBytes: 250 * 1024 * 1024,
  transactionsPerLogin: 12,
  transactionsPerRefresh: 4,
} as const;

export interface Verdict {
  criterion: string;
  /** The measured figure, formatted; "not measured" when this run could not give it. */
  figure: string;
  target: string;
  /** undefined: not measured in this run. */
  met: boolean | undefined;
}

const notMeasured = (criterion: string, target: string, why = 'not measured'): Verdict => ({
  criterion,
  figure: why,
  target,
  met: undefined,
});
/** Our scenarios only: the bare library and peers are what we are compared with. */
const ours = (report: BenchReport) => report.scenarios.filter((s) => s.server === 'servicekonto');

function loginOfHash(report: BenchReport): Verdict[] {
  return ours(report)
    .filter((s) => s.scenario === 'login' && s.hash)
    .map((login) => {
      const criterion = `${login.title}: login ÷ argon2id verification per CPU-s`;
      const target = `≥ ${ratio(issue16.loginOfHash)}`;
      const hash = report.hashReference.find(
        (h) =>
          h.timeCost === login.hash?.timeCost &&
          h.memoryKiB === login.hash.memoryKiB &&
          h.parallelism === login.hash.parallelism,
      );
      if (!hash) return notMeasured(criterion, target);
      const value = login.max.perCpuSecond / hash.verifiesPerCpuSecond;
      return { criterion, figure: ratio(value), target, met: value >= issue16.loginOfHash };
    });
}

function grantOfBare(report: BenchReport): Verdict[] {
  return ours(report)
    .filter((s) => s.baselineId)
    .map((grant) => {
      const criterion = `${grant.title}: ours ÷ bare oidc-provider per CPU-s (server)`;
      const target = `≥ ${ratio(issue16.grantOfBare)}`;
      const bare = report.scenarios.find((b) => b.id === grant.baselineId);
      if (!bare) return notMeasured(criterion, target);
      const value = grant.max.perCpuSecond / bare.max.perCpuSecond;
      return { criterion, figure: ratio(value), target, met: value >= issue16.grantOfBare };
    });
}

function saml(report: BenchReport): Verdict[] {
  const ourSaml = ours(report).find((s) => s.scenario === 'saml');
  if (!ourSaml) return [];
  const perCpu = ourSaml.max.perCpuSecond;
  const verdicts: Verdict[] = [
    {
      criterion: 'SAML SSO per CPU-s (server)',
      figure: perCpu.toFixed(1),
      target: `≥ ${issue16.samlPerCpuSecond}`,
      met: perCpu >= issue16.samlPerCpuSecond,
    },
  ];
  const criterion = 'SAML SSO: ours ÷ SimpleSAMLphp per CPU-s (server)';
  const target = `≥ ${ratio(issue16.samlOfPeer)}`;
  const peer = report.scenarios.find((p) => p.id === ourSaml.peerId);
  if (peer) {
    const value = perCpu / peer.max.perCpuSecond;
    verdicts.push({ criterion, figure: ratio(value), target, met: value >= issue16.samlOfPeer });
  } else {
    const skipped = report.setup.skippedPeers?.some((p) => p.startsWith('SAML SSO – SimpleSAMLphp'));
    verdicts.push(
      notMeasured(
        criterion,
        target,
        skipped ? 'not measured (peer skipped)' : 'not measured (no --peer simplesamlphp)',
      ),
    );
  }
  return verdicts;
}

function memory(report: BenchReport): Verdict[] {
  const idle = report.idle.filter((i) => !i.forComparison);
  const verdicts: Verdict[] = idle.map((i) => ({
    criterion: `idle RSS: ${i.label}`,
    figure: mb(i.rssBytes),
    target: `≤ ${mb(issue16.idleRssBytes)}`,
    met: i.rssBytes <= issue16.idleRssBytes,
  }));
  const logins = ours(report).filter((s) => s.scenario === 'login');
  if (logins.length > 0) {
    const peak = Math.max(...logins.map((s) => s.max.rssPeakBytes));
    verdicts.push({
      criterion: `peak RSS under login load (maximum phase of ${logins.map((s) => s.id).join(', ')})`,
      figure: mb(peak),
      target: `≤ ${mb(issue16.loginPeakRssBytes)}`,
      met: peak <= issue16.loginPeakRssBytes,
    });
  }
  return verdicts;
}

function errors(report: BenchReport): Verdict[] {
  const count = (s: ScenarioReport) => s.max.errors + (s.half ? s.half.errors + s.half.notStarted : 0);
  const total = ours(report).reduce((sum, s) => sum + count(s), 0);
  return [{ criterion: 'errors in our scenarios (every phase)', figure: String(total), target: '0', met: total === 0 }];
}

function transactions(report: BenchReport): Verdict[] {
  const rows: { scenario: string; name: string; limit: number }[] = [
    { scenario: 'login', name: 'full login', limit: issue16.transactionsPerLogin },
    { scenario: 'refresh', name: 'refresh grant', limit: issue16.transactionsPerRefresh },
  ];
  return rows.flatMap(({ scenario, name, limit }) =>
    ours(report)
      .filter((s) => s.scenario === scenario)
      .map((s) => {
        const criterion = `DB transactions per ${name} (${s.id})`;
        const database = s.max.database;
        if (database === undefined) return notMeasured(criterion, `≤ ${limit}`);
        // Judged at the precision shown (lib/database-counters.ts transactionsText).
        const figure = transactionsText(database);
        return { criterion, figure, target: `≤ ${limit}`, met: Number(figure) <= limit };
      }),
  );
}

/** "criterion: figure (target …): met", or "criterion: not measured (why) (target …)". */
export function verdictLine(v: Verdict, mark: (met: boolean) => string): string {
  return v.met === undefined
    ? `${v.criterion}: ${v.figure} (target ${v.target})`
    : `${v.criterion}: ${v.figure} (target ${v.target}): ${mark(v.met)}`;
}

/** Every criterion of issue 16 this run could speak of, in the issue's order. */
export function issue16Verdicts(report: BenchReport): Verdict[] {
  return [
    ...loginOfHash(report),
    ...grantOfBare(report),
    ...saml(report),
    ...memory(report),
    ...errors(report),
    ...transactions(report),
  ];
}

/** Transactions per iteration with issue 16's limit where it sets one (logins and refresh grants, ours). */
export function transactionsCell(s: ScenarioReport): string {
  const database = s.max.database;
  const value = database?.transactionsPerIteration;
  const limit =
    s.server !== 'servicekonto'
      ? undefined
      : s.scenario === 'login'
        ? issue16.transactionsPerLogin
        : s.scenario === 'refresh'
          ? issue16.transactionsPerRefresh
          : undefined;
  if (database === undefined || value === undefined) return '–';
  const figure = transactionsText(database);
  if (limit === undefined) return figure;
  return `${figure} (≤ ${limit}: ${verdict(Number(figure) <= limit)})`;
}

/** Issue 16's criteria first, one line each: figure, target, met or missed. */
export function issue16Section(report: BenchReport): string[] {
  const verdicts = issue16Verdicts(report);
  if (verdicts.length === 0) return [];
  return [
    '## Issue 16 verdicts',
    '',
    'The criteria of issue 16 ("Performance") that this run measured, mostly as ratios within the run; the older absolute targets of issue 7 are in the tables below, each labelled.',
    '',
    ...verdicts.map((v) => `- ${verdictLine(v, verdict)}`),
    '',
  ];
}
