import type { Queryable } from '../../platform/db/database.ts';

/**
 * The pending TANs (`sms_challenges`), one per session and purpose
 * (STYLE.md "Storage through repositories"). The TAN is stored only as a
 * keyed hash bound to the session; the method makes and checks it.
 */

export interface SmsChallengeRow {
  phone: string;
  tan_hash: string;
  attempts: number;
  expires_at: Date;
}

/** Stores a new TAN for this session and purpose, replacing a pending one with its tries. */
export async function saveChallenge(
  db: Queryable,
  o: { sessionId: string; purpose: string; phone: string; tanHash: string; expiresAt: Date },
): Promise<void> {
  await db.query(
    `INSERT INTO sms_challenges (session_id, purpose, phone, tan_hash, attempts, expires_at) VALUES ($1, $2, $3, $4, 0, $5)
     ON CONFLICT (session_id, purpose) DO UPDATE SET phone = EXCLUDED.phone, tan_hash = EXCLUDED.tan_hash, attempts = 0, expires_at = EXCLUDED.expires_at`,
    [o.sessionId, o.purpose, o.phone, o.tanHash, o.expiresAt],
  );
}

export async function deleteChallenge(db: Queryable, sessionId: string, purpose: string): Promise<void> {
  await db.query('DELETE FROM sms_challenges WHERE session_id = $1 AND purpose = $2', [sessionId, purpose]);
}

/** The number a live TAN of this session and purpose went to. */
export async function challengePhone(
  db: Queryable,
  sessionId: string,
  purpose: string,
  now: Date,
): Promise<string | undefined> {
  const result = await db.query<{ phone: string }>(
    'SELECT phone FROM sms_challenges WHERE session_id = $1 AND purpose = $2 AND expires_at > $3',
    [sessionId, purpose, now],
  );
  return result.rows[0]?.phone;
}

/** The challenge of this session and purpose, locked for the transaction: two tries cannot both count as one. */
export async function lockChallenge(
  tx: Queryable,
  sessionId: string,
  purpose: string,
): Promise<SmsChallengeRow | undefined> {
  const result = await tx.query<SmsChallengeRow>(
    'SELECT phone, tan_hash, attempts, expires_at FROM sms_challenges WHERE session_id = $1 AND purpose = $2 FOR UPDATE',
    [sessionId, purpose],
  );
  return result.rows[0];
}

/** Counts a wrong TAN. */
export async function countWrongTry(tx: Queryable, sessionId: string, purpose: string): Promise<void> {
  await tx.query('UPDATE sms_challenges SET attempts = attempts + 1 WHERE session_id = $1 AND purpose = $2', [
    sessionId,
    purpose,
  ]);
}

/** Expired TANs go (TR-03107-1: short-lived). */
export async function deleteExpiredChallenges(db: Queryable, now: Date): Promise<void> {
  await db.query('DELETE FROM sms_challenges WHERE expires_at < $1', [now]);
}
