import type { AppContext } from '../context.ts';
import type { LevelGap, LevelWay } from '../methods/method.ts';
import type { Level } from '../session/limits.ts';
import { identityLevel } from '../session/required-level.ts';
import type { SsoSession } from '../session/sso-session-repository.ts';

/** Why the account cannot reach `required` now: its identity data, or its means (DESIGN.md §3). */
export async function levelGap(
  app: AppContext,
  session: SsoSession,
  o: { required: Level; reachable: number; base: string },
): Promise<LevelGap> {
  const [attributes, account] = await Promise.all([
    app.attributes.forAccount(session.accountId),
    app.accounts.byId(session.accountId),
  ]);
  const identity = identityLevel(attributes);
  const meansReset = (account?.meansResetAt ?? null) !== null;
  return { ...o, identity, meansReset, reason: identity < o.required ? 'identity' : 'means' };
}

/**
 * A clerk who checks an ID document records the data at hoch (src/cli/verify-in-person.ts). It lifts the data,
 * not the means: above substanziell a login needs the eID as well (DESIGN.md §3), whose linking verifies the data
 * by itself. A missing second factor needs no visit: the login sets the app up on the spot (next-step.ts).
 */
export function inPersonHelps(gap: LevelGap): boolean {
  return gap.reason === 'identity' && gap.required <= 3;
}

/** The ways this installation offers, as its available methods say (method.ts `levelWays`), in registry order. */
export function levelWays(app: AppContext, gap: LevelGap): LevelWay[] {
  return app.methods.list.flatMap((m) => (m.available && m.levelWays ? m.levelWays(gap) : []));
}
