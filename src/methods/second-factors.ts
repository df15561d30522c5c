import type { Queryable } from '../platform/db/database.ts';
import type { Level } from '../session/limits.ts';
import { levelsByKind } from './means-repository.ts';
import { builtInMethods, secondFactorKinds, type SecondFactorKind } from './registry.ts';

export { secondFactorKinds, type SecondFactorKind } from './registry.ts';

/** The password alone reaches niedrig (DESIGN.md §3). */
const passwordLevel: Level = 2;

/**
 * The account's usable second factors, each kind with the highest level one
 * of its means reaches, in registry order. Blocked means and unconfirmed
 * software tokens do not count. `kinds` defaults to the built-in second
 * factors; a caller with the app's registry passes `app.methods.kinds('second')`.
 */
export async function secondFactors(
  db: Queryable,
  accountId: string,
  kinds: readonly string[] = secondFactorKinds,
): Promise<Map<SecondFactorKind, Level>> {
  const levels = await levelsByKind(db, accountId, kinds);
  return new Map(
    kinds.flatMap((kind) => {
      const level = levels.get(kind);
      // A registered method's kind is a SecondFactorKind at run time (methods/registry.ts).
      return level === undefined ? [] : [[kind as SecondFactorKind, level] as const];
    }),
  );
}

/** The highest level the account's means reach: its current maximum (TR-03160-1). */
export function meansMaximum(factors: Map<SecondFactorKind, Level>): Level {
  return Math.max(passwordLevel, ...factors.values()) as Level;
}

/**
 * TR-03160-1: adding a means needs a login at the account's current maximum
 * level. Compared on the means' own level, before the cap by the identity
 * data, since that cap says nothing about who holds the account.
 */
export function mayAddMeans(session: { meansLevel: Level }, factors: Map<SecondFactorKind, Level>): boolean {
  return session.meansLevel >= meansMaximum(factors);
}

/**
 * The level a new means reaches when it is added in this session:
 * - SMS-TAN reaches substanziell only when the number is registered in a
 *   session of that level (DESIGN.md §3, TR-03107-1);
 * - after a lost means was blocked through the e-mail link, a new token
 *   likewise needs such a session, or whoever holds password and mailbox
 *   could block the real token and register their own.
 */
export function enrolmentLevel(
  kind: SecondFactorKind,
  session: { meansLevel: Level },
  meansResetAfterLoss: boolean,
): Level {
  const strongSession = session.meansLevel >= 3;
  const method = builtInMethods.find((m) => (m.kinds as readonly string[]).includes(kind));
  const needsStrongSession =
    method !== undefined && 'levelNeedsStrongSession' in method && method.levelNeedsStrongSession;
  if (needsStrongSession || meansResetAfterLoss) return strongSession ? 3 : 2;
  return 3;
}

/**
 * Ways into a session that prove more than the password on their own: first factors above niedrig (the eID card; the
 * wallet to come).
 */
const strongMethod = (id: string) =>
  builtInMethods.some((m) => m.id === id && m.factor === 'first' && m.level > passwordLevel);

/**
 * The one answer to "did this session use a second factor of the account":
 * a second factor was used on top of the password (RFC 8176 `mfa`, set by
 * every step-up), or the session began with the eID card or the wallet.
 * Issue 13, point 2: once an account has a second factor, "Mein Konto"
 * beyond the overview needs such a session, never the password alone.
 */
export function usedSecondFactor(session: { amr: readonly string[]; method: string }): boolean {
  return session.amr.includes('mfa') || strongMethod(session.method);
}
