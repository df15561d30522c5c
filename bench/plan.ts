import type { ScenarioName } from './lib/types.ts';

/**
 * What runs, against which server, and what it is compared with. Keycloak's
 * sizing guide ("Concepts for sizing CPU and memory resources", Keycloak 26)
 * (https://www.keycloak.org/high-availability/single-cluster/concepts-memory-and-cpu-sizing)
 * budgets one vCPU per 15 password logins/s (argon2 at its defaults), per
 * 120 refresh-token grants/s and per 120 client-credentials grants/s.
 * Targets from issue 7, each per CPU-second of the server process; issue 16's
 * criteria, mostly ratios within one run, are in verdicts.ts.
 */
export interface Plan {
  id: string;
  title: string;
  scenario: ScenarioName;
  server: 'keycloak-hash' | 'default-hash' | 'bare' | 'simplesamlphp';
  concurrency: number;
  keycloakPerVcpu?: number;
  /** `issues`: which issues ask for it, for the report's label (issue 7 when absent). */
  target?: { perCpuSecond?: number; p99Ms?: number; issues?: string };
  baselineId?: string;
  /** A bare plan's login: the argon2 parameters its accounts are hashed with. */
  bareHash?: 'keycloak' | 'default';
  /** The peer's run of the same work (--peer), for the ratio. */
  peerId?: string;
  /** Log every pool account in once before measuring (consent stored, hash renewed to the server's parameters). */
  warmAccounts?: boolean;
}

export const plans: Plan[] = [
  {
    id: 'login-keycloak',
    title: 'password login, Keycloak hash',
    scenario: 'login',
    server: 'keycloak-hash',
    concurrency: 16,
    keycloakPerVcpu: 15,
    target: { perCpuSecond: 35, p99Ms: 150 },
    warmAccounts: true,
  },
  {
    id: 'login-default',
    title: 'password login, our hash',
    scenario: 'login',
    server: 'default-hash',
    concurrency: 16,
    keycloakPerVcpu: 15,
    target: { p99Ms: 150 },
    warmAccounts: true,
  },
  {
    id: 'refresh',
    title: 'refresh-token grant',
    scenario: 'refresh',
    server: 'default-hash',
    concurrency: 32,
    keycloakPerVcpu: 120,
    target: { perCpuSecond: 500, p99Ms: 20 },
    baselineId: 'bare-refresh',
  },
  {
    id: 'client-credentials',
    title: 'client-credentials grant',
    scenario: 'client-credentials',
    server: 'default-hash',
    concurrency: 32,
    keycloakPerVcpu: 120,
    target: { perCpuSecond: 1000, p99Ms: 20 },
    baselineId: 'bare-client-credentials',
  },
  { id: 'userinfo', title: 'userinfo', scenario: 'userinfo', server: 'default-hash', concurrency: 32 },
  {
    id: 'saml',
    title: 'SAML SSO (RSA-3072, signed + encrypted)',
    scenario: 'saml',
    server: 'default-hash',
    concurrency: 16,
    target: { perCpuSecond: 230, issues: 'issues 7 and 16' },
    peerId: 'saml-simplesamlphp',
  },
  {
    id: 'bare-login-keycloak',
    title: 'password login, Keycloak hash',
    scenario: 'login',
    server: 'bare',
    concurrency: 16,
    keycloakPerVcpu: 15,
    warmAccounts: true,
    bareHash: 'keycloak',
  },
  {
    id: 'bare-login-default',
    title: 'password login, our hash',
    scenario: 'login',
    server: 'bare',
    concurrency: 16,
    keycloakPerVcpu: 15,
    warmAccounts: true,
    bareHash: 'default',
  },
  {
    id: 'bare-refresh',
    title: 'refresh-token grant',
    scenario: 'refresh',
    server: 'bare',
    concurrency: 32,
    keycloakPerVcpu: 120,
  },
  {
    id: 'bare-client-credentials',
    title: 'client-credentials grant',
    scenario: 'client-credentials',
    server: 'bare',
    concurrency: 32,
    keycloakPerVcpu: 120,
  },
];

/**
 * Other identity providers run with `--peer NAME` on the same machine in the same run, driven by the same load
 * generator; the plan they answer is added too (`saml` for SimpleSAMLphp), so there is a ratio.
 */
export const peerPlans: Record<string, { plan: Plan; ours: string }> = {
  simplesamlphp: {
    plan: {
      id: 'saml-simplesamlphp',
      title: 'SAML SSO – SimpleSAMLphp',
      scenario: 'saml-simplesamlphp',
      server: 'simplesamlphp',
      concurrency: 16,
    },
    ours: 'saml',
  },
};

/** `--scenario` names: a plan id, a scenario name (all its plans), `baseline` or `all`. */
export function selectPlans(names: readonly string[]): Plan[] {
  if (names.length === 0 || names.includes('all')) return plans;
  const chosen = new Set<Plan>();
  for (const name of names) {
    const matching = plans.filter(
      (p) =>
        p.id === name ||
        p.scenario === name ||
        (name === 'baseline' && p.server === 'bare') ||
        (name === 'login' && p.scenario === 'login'),
    );
    if (matching.length === 0)
      throw new Error(
        `unknown scenario "${name}"; known: all, baseline, ${[...new Set(plans.flatMap((p) => [p.id, p.scenario]))].join(', ')}`,
      );
    for (const plan of matching) chosen.add(plan);
  }
  return plans.filter((p) => chosen.has(p));
}
