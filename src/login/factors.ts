import type { AppContext } from '../context.ts';
import { secondFactors, usedSecondFactor, type SecondFactorKind } from '../methods/second-factors.ts';
import type { Level } from '../session/limits.ts';
import type { SsoSession } from '../session/sso-session-repository.ts';

/**
 * The second factors that get this step-up where it must go, strongest kind
 * first: one → its page, several → a choice, none → undefined.
 */
export async function usableFactors(app: AppContext, accountId: string, required: Level): Promise<SecondFactorKind[]> {
  return factorsReaching(app, await secondFactors(app.db, accountId, app.methods.kinds('second')), required);
}

/** Of the account's second factors (kind → highest level), those the installation can ask for that reach `required`. */
export function factorsReaching(
  app: AppContext,
  factors: ReadonlyMap<string, Level>,
  required: Level,
): SecondFactorKind[] {
  // A method this installation cannot offer is not asked for (SMS-TAN without a gateway); the registry's order.
  return app.methods.kinds('second').filter((kind) => {
    const level = factors.get(kind);
    return level !== undefined && level >= required && app.methods.byKind(kind)?.available !== false;
  }) as SecondFactorKind[];
}

export function factorPath(base: string, usable: readonly SecondFactorKind[]): string | undefined {
  if (usable.length === 0) return undefined;
  return usable.length === 1 ? `${base}/${usable[0]}` : `${base}/second-factor`;
}

/** The account's second factors this installation can ask for, whatever level they reach (SMS only with a gateway). */
export function askableFactors(app: AppContext, accountId: string): Promise<SecondFactorKind[]> {
  return usableFactors(app, accountId, 1);
}

/**
 * Whether this session may see and change "Mein Konto" beyond the overview
 * (issue 13, point 2): it used a second factor of the account or the eID,
 * or the account has no second factor to ask for (then the password is
 * enough, as before). Adding and removing means needs more: the account's
 * maximum (TR-03160-1, `mayAddMeans`).
 */
export async function secondFactorConfirmed(app: AppContext, session: SsoSession): Promise<boolean> {
  return usedSecondFactor(session) || (await askableFactors(app, session.accountId)).length === 0;
}
