/**
 * The node:test suite of one group of targets, on its own app: one test per
 * target (its counts and status distribution as a diagnostic), then the
 * database consistency check. `FUZZ_RUNS` (default 10 000) is the number of
 * inputs per target, `FUZZ_SEED` replays a run, `FUZZ_ONLY` keeps the
 * targets whose route contains it, `FUZZ_KNOWN=report` reports known
 * findings without failing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { consistencyProblems } from './consistency.ts';
import { fuzzTarget, summary } from './fuzz.ts';
import { describeKnown } from './known.ts';
import { makers } from './live.ts';
import type { Target } from './target.ts';
import { World } from './world.ts';

export const fuzzRuns = Number(process.env.FUZZ_RUNS ?? 10_000);
const seed = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
const only = process.env.FUZZ_ONLY;
/** `FUZZ_KNOWN=report`: known findings are reported, not failed (as in the smoke test). */
const failOnKnown = process.env.FUZZ_KNOWN !== 'report';

export function fuzzSuite(name: string, targets: readonly Target<never>[]): void {
  describe(name, () => {
    let world: World;
    before(async () => {
      world = await World.create(makers);
    });
    after(() => world.close());

    for (const target of targets.filter((t) => only === undefined || t.route.includes(only))) {
      test(target.route, async (t) => {
        const report = await fuzzTarget(world, target as Target<unknown>, {
          runs: fuzzRuns,
          ...(seed === undefined ? {} : { seed }),
        });
        t.diagnostic(summary(report));
        assert.deepEqual(report.after, [], 'accounts and database after the run');
        // Known findings fail the full run until they are decided (known.ts).
        if (report.known.size > 0) {
          if (failOnKnown) assert.fail(describeKnown(report.known));
          t.diagnostic(describeKnown(report.known));
        }
      });
    }

    test('the database is consistent after the whole group', async () => {
      assert.deepEqual(await consistencyProblems(world), []);
    });
  });
}
