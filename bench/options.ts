/**
 * The command line of `npm run bench` (run.ts): options, and the plans they select, with the peers' and the plans
 * the peers are compared with.
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { peerPlans, plans, selectPlans, type Plan } from './plan.ts';

export const usage = `Usage: npm run bench -- [options]

  --scenario NAME      run only this (repeatable): all (default), login, login-keycloak,
                       login-default, refresh, client-credentials, userinfo, saml, baseline
                       (the bare oidc-provider: bare-login-keycloak, bare-login-default,
                       bare-refresh, bare-client-credentials)
  --peer NAME          also run another identity provider on this machine in the same run and
                       report our ratio to it (repeatable): simplesamlphp (SAML SSO against the
                       Debian package in an Apache of its own; adds our saml scenario; skipped
                       with a message when the package is not installed)
  --duration S         seconds measured per phase (default 15)
  --warmup S           seconds of warm-up before each phase (default 3)
  --concurrency N      virtual users for the maximum-throughput phase (default per scenario)
  --accounts N         measured accounts, each with its own password and hash (default 200)
  --max-only           skip the half-load latency phase
  --scale              also compare login latency with 1,000 and with 1,000,000 accounts
  --scale-accounts N   accounts for the scale check (default 1000000)
  --scale-duration S   seconds per scale phase (default 30)
  --log-level LEVEL    the server's LOG_LEVEL (default warn; info logs every request)
  --note TEXT          a note for the report (e.g. that the machine was shared)
  --out DIR            where the results go (default bench/results)
  --keep-db            keep the scratch database
  --cpu-prof DIR       run the server with --cpu-prof; one .cpuprofile per server start in DIR
`;

export const { values } = parseArgs({
  options: {
    scenario: { type: 'string', multiple: true, default: [] },
    peer: { type: 'string', multiple: true, default: [] },
    duration: { type: 'string', default: '15' },
    warmup: { type: 'string', default: '3' },
    concurrency: { type: 'string' },
    accounts: { type: 'string', default: '200' },
    'max-only': { type: 'boolean', default: false },
    scale: { type: 'boolean', default: false },
    'scale-accounts': { type: 'string', default: '1000000' },
    'scale-duration': { type: 'string', default: '30' },
    'log-level': { type: 'string', default: 'warn' },
    note: { type: 'string', default: '' },
    out: { type: 'string', default: fileURLToPath(new URL('./results/', import.meta.url)) },
    'keep-db': { type: 'boolean', default: false },
    'cpu-prof': { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  console.log(usage);
  process.exit(0);
}

function positive(name: string, value: string | undefined): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) {
    console.error(`--${name} must be a positive number, got "${value}"\n\n${usage}`);
    process.exit(2);
  }
  return n;
}

export const options = {
  duration: positive('duration', values.duration),
  warmup: Number(values.warmup) >= 0 ? Number(values.warmup) : positive('warmup', values.warmup),
  concurrency: values.concurrency === undefined ? undefined : Math.round(positive('concurrency', values.concurrency)),
  accounts: Math.round(positive('accounts', values.accounts)),
  half: !values['max-only'],
  scale: values.scale,
  scaleAccounts: Math.round(positive('scale-accounts', values['scale-accounts'])),
  scaleDuration: positive('scale-duration', values['scale-duration']),
  logLevel: values['log-level'],
  cpuProfile: values['cpu-prof'] !== undefined,
};
let chosen: Plan[];
const peerList: Plan[] = [];
try {
  chosen = selectPlans(values.scenario);
  for (const name of new Set(values.peer)) {
    const peer = peerPlans[name];
    if (!peer) throw new Error(`unknown peer "${name}"; known: ${Object.keys(peerPlans).join(', ')}`);
    peerList.push(peer.plan);
    // The peer's figure means something next to ours: our side of the same work runs too.
    if (!chosen.some((p) => p.id === peer.ours)) chosen = [...chosen, ...plans.filter((p) => p.id === peer.ours)];
  }
} catch (error) {
  console.error(`${(error as Error).message}\n\n${usage}`);
  process.exit(2);
}

export const selected: readonly Plan[] = chosen;
export const peers: readonly Plan[] = peerList;
