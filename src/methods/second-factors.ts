import type { Queryable } from '../platform/db/database.ts';
import type { Level } from '../session/limits.ts';

export type SecondFactorKind = 'webauthn' | 'totp' | 'sms';

/** The order a step-up offers them in: phishing-resistant first. */
export const secondFactorKinds: readonly SecondFactorKind[] = ['webauthn', 'totp', 'sms'];

/** The password alone reaches niedrig (DESIGN.md §3). */
const passwordLevel: Level = 2;

/**
 * The account's usable second factors, each kind with the highest level one
 * of its means reaches. Blocked means and unconfirmed software tokens do
 * not count.
 */
export async function secondFactors(db: Queryable, accountId: string): Promise<Map<SecondFactorKind, Level>> {
  const result = await db.query<{ kind: SecondFactorKind; level: Level }>(
    `SELECT kind, max(level)::int AS level FROM authentication_means
     WHERE account_id = $1 AND blocked_at IS NULL AND kind IN ('webauthn', 'totp', 'sms')
       AND (kind <> 'totp' OR coalesce((public_data->>'confirmed')::boolean, false))
     GROUP BY kind`,
    [accountId],
  );
  return new Map(secondFactorKinds.flatMap((kind) => {
    const row = result.rows.find((r) => r.kind === kind);
    return row ? [[kind, row.level] as const] : [];
  }));
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
export function enrolmentLevel(kind: SecondFactorKind, session: { meansLevel: Level }, meansResetAfterLoss: boolean): Level {
  const strongSession = session.meansLevel >= 3;
  if (kind === 'sms' || meansResetAfterLoss) return strongSession ? 3 : 2;
  return 3;
}

/** Ways into a session that prove more than the password on their own: the eID card (and the wallet to come). */
const strongMethods: ReadonlySet<string> = new Set(['eid', 'wallet']);

/**
 * The one answer to "did this session use a second factor of the account":
 * a second factor was used on top of the password (RFC 8176 `mfa`, set by
 * every step-up), or the session began with the eID card or the wallet.
 * Issue 13, point 2: once an account has a second factor, "Mein Konto"
 * beyond the overview needs such a session, never the password alone.
 */
export function usedSecondFactor(session: { amr: readonly string[]; method: string }): boolean {
  return session.amr.includes('mfa') || strongMethods.has(session.method);
}

/**
 * The citizen's choice (Mein Konto): the password alone is enough for
 * logins to services that need only niedrig. Off unless turned off; with a
 * second factor, every login asks for it by default (issue 13, point 2).
 */
export async function passwordEnoughForLow(db: Queryable, accountId: string): Promise<boolean> {
  const result = await db.query<{ enough: boolean }>('SELECT password_enough_for_low AS enough FROM accounts WHERE id = $1', [accountId]);
  return result.rows[0]?.enough ?? false;
}

export async function setPasswordEnoughForLow(db: Queryable, accountId: string, enough: boolean): Promise<void> {
  await db.query('UPDATE accounts SET password_enough_for_low = $2 WHERE id = $1', [accountId, enough]);
}
