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
