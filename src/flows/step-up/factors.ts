import type { AppContext } from '../../context.ts';
import { secondFactors, type SecondFactorKind } from '../../methods/second-factors.ts';
import type { Level } from '../../session/limits.ts';

/**
 * The second factors that get this step-up where it must go, strongest kind
 * first: one → its page, several → a choice, none → undefined.
 */
export async function usableFactors(app: AppContext, accountId: string, required: Level): Promise<SecondFactorKind[]> {
  const factors = await secondFactors(app.db, accountId);
  return [...factors].filter(([kind, level]) => level >= required && (kind !== 'sms' || app.methods.sms.available)).map(([kind]) => kind);
}

export function factorPath(base: string, usable: readonly SecondFactorKind[]): string | undefined {
  if (usable.length === 0) return undefined;
  return usable.length === 1 ? `${base}/${usable[0]}` : `${base}/second-factor`;
}
