import type { Queryable } from '../../platform/db/database.ts';

/** The passkey login's used challenges (`passkey_used_challenges`, STYLE.md "Storage through repositories"). */

/** Marks a challenge used; false when it was used before (WebAuthn §13.4.3: once). */
export async function useChallenge(db: Queryable, challenge: string, expiresAt: Date): Promise<boolean> {
  const result = await db.query(
    'INSERT INTO passkey_used_challenges (challenge, expires_at) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING challenge',
    [challenge, expiresAt],
  );
  return result.rows.length === 1;
}

/** A used challenge is remembered only while it would still be accepted. */
export async function deleteExpiredChallenges(db: Queryable, now: Date): Promise<void> {
  await db.query('DELETE FROM passkey_used_challenges WHERE expires_at < $1', [now]);
}
