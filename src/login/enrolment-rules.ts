import type { AppContext } from '../context.ts';
import { enrolmentLevel, mayAddMeans, secondFactors, type SecondFactorKind } from '../methods/second-factors.ts';
import type { Level } from '../session/limits.ts';
import type { SsoSession } from '../session/sso-session-repository.ts';

/**
 * Whether this session may add a means of this kind, and the level it would
 * reach (TR-03160-1 and TR-03107-1 rules in methods/second-factors.ts).
 */
export async function enrolmentRules(
  app: AppContext,
  session: SsoSession,
  kind: SecondFactorKind,
): Promise<{ allowed: boolean; level: Level }> {
  const [factors, account] = await Promise.all([
    secondFactors(app.db, session.accountId),
    app.accounts.byId(session.accountId),
  ]);
  return {
    allowed: mayAddMeans(session, factors),
    level: enrolmentLevel(kind, session, (account?.meansResetAt ?? null) !== null),
  };
}
