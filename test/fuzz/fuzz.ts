/**
 * Runs one target: fast-check generates the requests, each goes to the app
 * with `inject`, every answer is checked (check.ts). A new problem fails the
 * property at once (fast-check shrinks it and prints the case and its seed);
 * a known one (known.ts) is counted and the run goes on. Afterwards the
 * accounts are counted and the database checked.
 */
import fc from 'fast-check';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { check, type Problem, type SentRequest } from './check.ts';
import { accountCount, consistencyProblems } from './consistency.ts';
import { knownFinding } from './known.ts';
import { takeFetches } from './network.ts';
import type { Target } from './target.ts';
import type { World } from './world.ts';

export interface RunOptions {
  runs: number;
  seed?: number;
}

export interface TargetReport {
  route: string;
  tried: number;
  seconds: number;
  statuses: Map<number, number>;
  known: Map<string, { count: number; example: string }>;
  makerFailures: Map<string, number>;
  /** The last set-up failure, to tell why. */
  makerError: string;
  /** Problems found after the run (accounts, database). */
  after: string[];
}

export function describeExchange(request: SentRequest, response?: LightMyRequestResponse): string {
  const payload =
    request.payload === undefined
      ? ''
      : typeof request.payload === 'string'
        ? request.payload
        : request.payload.toString('latin1');
  const head = `${request.method} ${request.url.slice(0, 600)}\n  headers ${JSON.stringify(request.headers).slice(0, 600)}${payload === '' ? '' : `\n  body ${JSON.stringify(payload.slice(0, 600))}`}`;
  if (!response) return head;
  return `${head}\n  → ${response.statusCode} ${String(response.headers['content-type'] ?? '')} ${JSON.stringify(response.body.slice(0, 400))}`;
}

export async function fuzzTarget<T>(world: World, target: Target<T>, o: RunOptions): Promise<TargetReport> {
  const started = performance.now();
  world.budget(o.runs);
  const report: TargetReport = {
    route: target.route,
    tried: 0,
    seconds: 0,
    statuses: new Map(),
    known: new Map(),
    makerFailures: new Map(),
    makerError: '',
    after: [],
  };
  const failuresBefore = new Map(world.makerFailures);
  const accountsBefore = await accountCount(world);
  const madeBefore = world.accountsMade;
  let made = 0;
  let removed = 0;

  const property = fc.asyncProperty(target.arbitrary, async (value) => {
    if (report.tried % 10 === 0) await world.ensure('user');
    report.tried++;
    const sent = await target.request(value, {
      world,
      session: world.session(target.session(value)),
      refreshed: new Set(),
    });
    takeFetches();
    let response: LightMyRequestResponse;
    try {
      response = await world.t.fastify.inject(sent as InjectOptions);
    } catch (error) {
      throw new Error(`inject failed: ${(error as Error).message}\n${describeExchange(sent)}`, { cause: error });
    }
    report.statuses.set(response.statusCode, (report.statuses.get(response.statusCode) ?? 0) + 1);
    if (target.accounts?.made?.(response)) made++;
    if (target.accounts?.removed?.(response)) removed++;
    const problems: Problem[] = check(sent, response, takeFetches(), {
      pages: target.pages,
      ...(target.staticFiles ? { staticFiles: true } : {}),
    });
    const fresh: Problem[] = [];
    for (const problem of problems) {
      const known = knownFinding(target.route, problem, sent, response);
      if (!known) {
        fresh.push(problem);
        continue;
      }
      const entry = report.known.get(known.id) ?? { count: 0, example: describeExchange(sent, response) };
      entry.count++;
      report.known.set(known.id, entry);
    }
    if (fresh.length > 0)
      throw new Error(
        `${fresh.map((p) => `[${p.check}] ${p.message}`).join('\n')}\n${describeExchange(sent, response)}`,
      );
  });
  await fc.assert(property, { numRuns: o.runs, ...(o.seed === undefined ? {} : { seed: o.seed }) });

  const delta = (await accountCount(world)) - accountsBefore - (world.accountsMade - madeBefore);
  if (delta > made)
    report.after.push(`${delta} accounts appeared, but only ${made} answers were a successful registration`);
  if (delta < -removed)
    report.after.push(`${-delta} accounts disappeared, but only ${removed} answers were a deletion`);
  report.after.push(...(await consistencyProblems(world)));
  for (const [name, count] of world.makerFailures) {
    const before = failuresBefore.get(name) ?? 0;
    if (count > before) report.makerFailures.set(name, count - before);
  }
  if (report.makerFailures.size > 0) report.makerError = world.lastMakerError;
  report.seconds = (performance.now() - started) / 1000;
  return report;
}

export function summary(report: TargetReport): string {
  const statuses = [...report.statuses]
    .sort(([a], [b]) => a - b)
    .map(([status, n]) => `${status}×${n}`)
    .join(' ');
  const known = [...report.known].map(([id, k]) => `${id}×${k.count}`).join(' ');
  const failures = [...report.makerFailures].map(([name, n]) => `${name}×${n}`).join(' ');
  return `${report.route}: ${report.tried} inputs in ${report.seconds.toFixed(1)} s; ${statuses}${known ? `; known findings ${known}` : ''}${failures ? `; set-up failures ${failures} (last: ${report.makerError.slice(0, 200)})` : ''}`;
}
