import type { Fixtures } from './lib/types.ts';
import type { ServerMeter } from './lib/proc.ts';
import { runScenario, type MeasuredPhase } from './measure.ts';
import type { ScaleReport } from './report.ts';
import { countAccounts, fillAccounts } from './setup/accounts.ts';
import { defaultHash, type createInstallation } from './setup/installation.ts';

/** The bench options the scale check reads (run.ts). */
export interface ScaleOptions {
  concurrency: number | undefined;
  duration: number;
  warmup: number;
  scaleDuration: number;
  scaleAccounts: number;
}

/**
 * Issue 7 part 3: login p99 with the base thousand accounts, then with a
 * million, at one fixed arrival rate (half the maximum measured before).
 */
export async function scaleCheck(
  installation: Awaited<ReturnType<typeof createInstallation>>,
  server: ServerMeter,
  fixtures: Fixtures,
  halfRate: number | undefined,
  warm: boolean,
  options: ScaleOptions,
  log: (line: string) => void,
): Promise<ScaleReport> {
  const concurrency = options.concurrency ?? 16;
  let rate = halfRate;
  if (rate === undefined) {
    log('scale: finding the maximum login rate first …');
    const max = await runScenario({
      scenario: 'login',
      fixtures,
      server,
      concurrency,
      seconds: options.duration,
      warmupSeconds: options.warmup,
      half: false,
      warmAccounts: !warm,
      log,
      databaseName: installation.database.name,
    });
    rate = max.max.throughput / 2;
  }
  const phase = async (): Promise<MeasuredPhase> =>
    (
      await runScenario({
        scenario: 'login',
        fixtures,
        server,
        concurrency,
        seconds: options.scaleDuration,
        warmupSeconds: options.warmup,
        half: false,
        fixedRate: rate,
        log,
        databaseName: installation.database.name,
      })
    ).max;
  const smallAccounts = await countAccounts(installation.database.url);
  log(`scale: logins at ${rate.toFixed(1)}/s with ${smallAccounts.toLocaleString('en')} accounts:`);
  const small = await phase();
  log(`scale: loading ${options.scaleAccounts.toLocaleString('en')} accounts …`);
  const started = Date.now();
  const largeAccounts = await fillAccounts(installation.database.url, options.scaleAccounts, defaultHash, log);
  const loadSeconds = (Date.now() - started) / 1000;
  log(`scale: logins at ${rate.toFixed(1)}/s with ${largeAccounts.toLocaleString('en')} accounts:`);
  const large = await phase();
  return {
    rate,
    seconds: options.scaleDuration,
    small: { accounts: smallAccounts, phase: small },
    large: { accounts: largeAccounts, phase: large, loadSeconds },
    p99Ratio: large.latencyMs.p99 / small.latencyMs.p99,
    p95Ratio: large.latencyMs.p95 / small.latencyMs.p95,
    p50Ratio: large.latencyMs.p50 / small.latencyMs.p50,
    target: 1.1,
  };
}
