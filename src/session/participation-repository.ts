import type { Queryable } from '../platform/db/database.ts';
import type { Bind } from '../platform/db/statement-pieces.ts';

/**
 * The services an SSO session was used for (DESIGN.md §5a), so a logout can
 * reach them. Rows follow the session when its id is renewed.
 */
export async function moveParticipations(
  tx: Queryable,
  fromSessionId: string,
  toSessionId: string,
  accountId: string,
  now: Date,
): Promise<void> {
  await tx.query(
    'UPDATE session_participations SET sso_session_id = $2 WHERE sso_session_id = $1 AND account_id = $3 AND ended_at IS NULL',
    [fromSessionId, toSessionId, accountId],
  );
  await tx.query(
    'UPDATE session_participations SET ended_at = $3 WHERE sso_session_id = $1 AND account_id <> $2 AND ended_at IS NULL',
    [fromSessionId, accountId, now],
  );
}

/** A SAML service's participation in a session: its answer named it by this NameID and SessionIndex. */
export interface SamlParticipationRow {
  sessionId: string;
  accountId: string;
  serviceId: string;
  sessionIndex: string;
  nameId: string;
  nameIdFormat: string;
}

/**
 * The session was used for a SAML service: its row as a common table expression of a caller's statement
 * (platform/db/statement-pieces.ts), inserted only when `when` (SQL over the statement's other CTEs) holds
 * (saml/login/answer-repository.ts: only for a request id not seen before).
 */
export function samlParticipationCte(name: string, bind: Bind, p: SamlParticipationRow, when: string): string {
  return `${name} AS (INSERT INTO session_participations
      (sso_session_id, account_id, service_id, protocol, session_index, name_id, name_id_format)
    SELECT ${bind(p.sessionId)}::text, ${bind(p.accountId)}::uuid, ${bind(p.serviceId)}::text, 'saml',
      ${bind(p.sessionIndex)}::text, ${bind(p.nameId)}::text, ${bind(p.nameIdFormat)}::text WHERE ${when})`;
}

export interface SamlParticipation {
  id: string;
  serviceId: string;
  sessionIndex: string;
  nameId: string;
  nameIdFormat: string;
}

/** The live SAML participations of a session, to send each a LogoutRequest. */
export async function samlParticipations(db: Queryable, sessionId: string): Promise<SamlParticipation[]> {
  const result = await db.query<{
    id: string;
    service_id: string;
    session_index: string;
    name_id: string;
    name_id_format: string;
  }>(
    "SELECT id::text, service_id, session_index, name_id, name_id_format FROM session_participations WHERE sso_session_id = $1 AND protocol = 'saml' AND ended_at IS NULL ORDER BY id",
    [sessionId],
  );
  return result.rows.map((r) => ({
    id: r.id,
    serviceId: r.service_id,
    sessionIndex: r.session_index,
    nameId: r.name_id,
    nameIdFormat: r.name_id_format,
  }));
}

export async function endParticipation(db: Queryable, id: string, now: Date): Promise<void> {
  await db.query('UPDATE session_participations SET ended_at = $2 WHERE id::text = $1', [id, now]);
}
