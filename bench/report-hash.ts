import type { HashReference } from './hash-reference.ts';
import { issue16 } from './verdicts.ts';
import { num, ratio, verdict } from './lib/format.ts';

/** What the section reads of a report's scenarios (report.ts `ScenarioReport`). */
interface LoginRow {
  scenario: string;
  server: string;
  hash?: { timeCost: number; memoryKiB: number; parallelism: number };
  max: { perCpuSecond: number };
}

/**
 * The hash alone, our login and the bare library's login at the same argon2
 * parameters. The bare login (baseline/bare-login.ts) is the smallest login
 * an application of oidc-provider needs: its ratio to the hash is what the
 * library and Node allow before any work of ours, so it shows how much of
 * issue 16's 0.75× is within reach at all.
 */
export function hashSection(report: { hashReference: readonly HashReference[]; scenarios: readonly LoginRow[] }) {
  if (report.hashReference.length === 0) return [];
  const lines = [
    '## The password hash alone',
    '',
    `argon2id verifications per CPU-second in the harness process, one after another: the ceiling for a login, which verifies once. Issue 16 asks a login to reach ≥ ${ratio(issue16.loginOfHash)} of it at the same parameters. The bare library’s login (oidc-provider with an in-memory store and the smallest login page and form its application needs, the same hash with @node-rs/argon2, no database; bench/baseline/bare-login.ts) is measured in the same run when selected: its ratio to the hash is the bound before any work of ours.`,
    '',
    '| parameters | verifications per CPU-s | login at these parameters per CPU-s | login ÷ hash | target (issue 16) | | bare library’s login per CPU-s | bare login ÷ hash | ours ÷ bare login |',
    '|---|--:|--:|--:|--:|---|--:|--:|--:|',
  ];
  for (const h of report.hashReference) {
    const at = (server: string) =>
      report.scenarios.find(
        (s) =>
          s.scenario === 'login' &&
          s.server === server &&
          s.hash?.timeCost === h.timeCost &&
          s.hash.memoryKiB === h.memoryKiB &&
          s.hash.parallelism === h.parallelism,
      )?.max.perCpuSecond;
    const ours = at('servicekonto');
    const bare = at('bare oidc-provider');
    const share = ours === undefined ? undefined : ours / h.verifiesPerCpuSecond;
    lines.push(
      `| t=${h.timeCost}, m=${h.memoryKiB} KiB, p=${h.parallelism} | ${num(h.verifiesPerCpuSecond, 1)} | ${num(ours, 1)} | ${ratio(share)} | ≥ ${ratio(issue16.loginOfHash)} | ${verdict(share === undefined ? undefined : share >= issue16.loginOfHash)} | ${num(bare, 1)} | ${ratio(bare === undefined ? undefined : bare / h.verifiesPerCpuSecond)} | ${ratio(ours === undefined || bare === undefined ? undefined : ours / bare)} |`,
    );
  }
  lines.push('');
  return lines;
}
