import type { Queryable } from '../db/database.ts';

/**
 * Deletes of expired rows that housekeeping.ts runs for SAML's short-lived tables (pending logins, seen message ids,
 * logout flows) and the session's participations. The methods' own leftovers (the eID readings, TANs, challenges)
 * are deleted by each method's `housekeeping` (methods/method.ts).
 */
export function housekeepingRepository(db: Queryable) {
  return {
    async deleteExpiredSaml(now: Date): Promise<void> {
      await db.query('DELETE FROM saml_pending_logins WHERE expires_at < $1', [now]);
      await db.query('DELETE FROM saml_seen_ids WHERE expires_at < $1', [now]);
      await db.query('DELETE FROM saml_logout_flows WHERE expires_at < $1', [now]);
    },
    /** Participations outlive their session only to answer a late logout; a week is plenty. */
    async deleteOldParticipations(now: Date): Promise<void> {
      await db.query(
        "DELETE FROM session_participations WHERE (ended_at IS NOT NULL AND ended_at < $1::timestamptz - interval '7 days') OR (ended_at IS NULL AND sso_session_id NOT IN (SELECT id FROM sso_sessions) AND created_at < $1::timestamptz - interval '7 days')",
        [now],
      );
    },
  };
}
