import type { Queryable } from '../../platform/db/database.ts';
import type { Level } from '../../session/limits.ts';

/**
 * The pending WebAuthn challenges (`webauthn_challenges`), one per session
 * and purpose, used once (STYLE.md "Storage through repositories").
 */

export type ChallengePurpose = 'register' | 'authenticate';

/** Stores the challenge of this session and purpose, replacing a pending one. */
export async function saveChallenge(
  db: Queryable,
  o: { sessionId: string; purpose: ChallengePurpose; challenge: string; expiresAt: Date },
): Promise<void> {
  await db.query(
    `INSERT INTO webauthn_challenges (session_id, purpose, challenge, expires_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (session_id, purpose) DO UPDATE SET challenge = EXCLUDED.challenge, expires_at = EXCLUDED.expires_at`,
    [o.sessionId, o.purpose, o.challenge, o.expiresAt],
  );
}

/** Takes the live challenge of this session and purpose out: it can be used once (WebAuthn §13.4.3). */
export async function takeChallenge(
  db: Queryable,
  sessionId: string,
  purpose: ChallengePurpose,
  now: Date,
): Promise<string | undefined> {
  const result = await db.query<{ challenge: string }>(
    'DELETE FROM webauthn_challenges WHERE session_id = $1 AND purpose = $2 AND expires_at > $3 RETURNING challenge',
    [sessionId, purpose, now],
  );
  return result.rows[0]?.challenge;
}

export async function deleteExpiredChallenges(db: Queryable, now: Date): Promise<void> {
  await db.query('DELETE FROM webauthn_challenges WHERE expires_at < $1', [now]);
}

export interface CredentialRow {
  id: string;
  account_id: string;
  level: Level;
  public_data: Record<string, unknown>;
}

/**
 * The live credential with this id, whoever's it is: a discoverable credential names itself, not its account
 * (WebAuthn §6.2.2). Blocked means do not count.
 */
export async function credentialById(
  db: Queryable,
  kinds: readonly string[],
  credentialId: string,
): Promise<CredentialRow | undefined> {
  const result = await db.query<CredentialRow>(
    `SELECT id, account_id, level, public_data FROM authentication_means
     WHERE public_data ->> 'credentialId' = $1 AND kind = ANY($2::text[]) AND blocked_at IS NULL`,
    [credentialId, [...kinds]],
  );
  return result.rows.length === 1 ? result.rows[0] : undefined;
}
