import type { Queryable } from '../../platform/db/database.ts';

/**
 * The rows an inbound LogoutRequest is about: a service's participation in
 * an SSO session (saml-core §3.7.1), found by the NameID and SessionIndex we
 * issued to it, and ended when the service asks.
 */
export interface Participation {
  id: string;
  sso_session_id: string;
  account_id: string;
  ended_at: Date | null;
}

/**
 * The running participation of the service in this browser's SSO session
 * whose NameID (and SessionIndex, when the request names any) are the ones
 * we issued (saml-core §3.7.1); undefined when the browser has no session
 * or the request names anything else.
 */
export async function boundParticipation(
  db: Queryable,
  o: { ssoSessionId: string | undefined; serviceId: string; nameId: string; sessionIndexes: string[] },
): Promise<Participation | undefined> {
  if (o.ssoSessionId === undefined) return undefined;
  return (
    await db.query<Participation>(
      `SELECT id::text, sso_session_id, account_id, ended_at FROM session_participations
     WHERE sso_session_id = $1 AND service_id = $2 AND name_id = $3 AND ended_at IS NULL
       AND (cardinality($4::text[]) = 0 OR session_index = ANY($4::text[]))
     ORDER BY id DESC LIMIT 1`,
      [o.ssoSessionId, o.serviceId, o.nameId, o.sessionIndexes],
    )
  ).rows[0];
}

/**
 * Signed, the request may name any session of that NameID at this service
 * (saml-core §3.7.1): the running participation first, else the last ended
 * one (logout is idempotent, §3.7.3.2).
 */
export async function signedParticipation(
  db: Queryable,
  o: { serviceId: string; nameId: string; sessionIndexes: string[] },
): Promise<Participation | undefined> {
  return (
    await db.query<Participation>(
      `SELECT id::text, sso_session_id, account_id, ended_at FROM session_participations
     WHERE service_id = $1 AND name_id = $2 AND (cardinality($3::text[]) = 0 OR session_index = ANY($3::text[]))
     ORDER BY ended_at NULLS FIRST, id DESC LIMIT 1`,
      [o.serviceId, o.nameId, o.sessionIndexes],
    )
  ).rows[0];
}

/** Every running participation of the service in the session ends: it asked for its logout. */
export async function endServiceParticipations(
  tx: Queryable,
  o: { ssoSessionId: string; serviceId: string; at: Date },
): Promise<void> {
  await tx.query(
    'UPDATE session_participations SET ended_at = $3 WHERE sso_session_id = $1 AND service_id = $2 AND ended_at IS NULL',
    [o.ssoSessionId, o.serviceId, o.at],
  );
}

/** Whether a session has SAML services to tell: only then does a logout walk the browser through them. */
export async function hasSamlParticipations(db: Queryable, sessionId: string): Promise<boolean> {
  const result = await db.query(
    "SELECT 1 FROM session_participations WHERE sso_session_id = $1 AND protocol = 'saml' AND ended_at IS NULL LIMIT 1",
    [sessionId],
  );
  return result.rowCount > 0;
}

/** The running SAML participations of a session but the excepted service's, in the order they began. */
export async function participationsToTell(
  tx: Queryable,
  sessionId: string,
  exceptServiceId: string,
): Promise<string[]> {
  const participations = await tx.query<{ id: string }>(
    "SELECT id::text FROM session_participations WHERE sso_session_id = $1 AND protocol = 'saml' AND ended_at IS NULL AND service_id <> $2 ORDER BY id",
    [sessionId, exceptServiceId],
  );
  return participations.rows.map((r) => r.id);
}

/** What a LogoutRequest to the participation's service names. */
export async function participationById(
  db: Queryable,
  id: string,
): Promise<{ service_id: string; session_index: string; name_id: string; name_id_format: string } | undefined> {
  return (
    await db.query<{ service_id: string; session_index: string; name_id: string; name_id_format: string }>(
      'SELECT service_id, session_index, name_id, name_id_format FROM session_participations WHERE id::text = $1',
      [id],
    )
  ).rows[0];
}

/** The participation ends, unless it has ended already. */
export async function endRunningParticipation(db: Queryable, id: string, now: Date): Promise<void> {
  await db.query('UPDATE session_participations SET ended_at = $2 WHERE id::text = $1 AND ended_at IS NULL', [id, now]);
}
