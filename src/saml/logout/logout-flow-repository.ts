import type { Queryable } from '../../platform/db/database.ts';
import type { LogoutInitiator } from './flow.ts';

/**
 * The single logouts under way in `saml_logout_flows` (saml/logout/flow.ts):
 * the participations still to tell, the one asked now and the request id it
 * must answer. Each step is one statement, so two requests racing on the
 * same flow never take the same step.
 */
export function logoutFlowRepository(db: Queryable) {
  return {
    async create(id: string, remaining: string[], initiator: LogoutInitiator, expiresAt: Date): Promise<void> {
      await db.query(
        'INSERT INTO saml_logout_flows (id, remaining, initiator, expires_at) VALUES ($1, $2::bigint[], $3, $4)',
        [id, remaining, JSON.stringify(initiator), expiresAt],
      );
    },
    /** The step under way is dropped unanswered, and the logout is partial. */
    async abandonCurrent(flowId: string): Promise<void> {
      await db.query(
        'UPDATE saml_logout_flows SET partial = true, current_request_id = NULL WHERE id = $1 AND current_request_id IS NOT NULL',
        [flowId],
      );
    },
    /** Takes the next participation off the list; undefined when none is left (or the flow expired). */
    async popNext(flowId: string, now: Date): Promise<string | undefined> {
      const popped = (
        await db.query<{ participation: string }>(
          `UPDATE saml_logout_flows SET remaining = remaining[2:], current_participation = remaining[1], current_request_id = NULL
       WHERE id = $1 AND expires_at > $2 AND cardinality(remaining) > 0 RETURNING current_participation::text AS participation`,
          [flowId, now],
        )
      ).rows[0];
      return popped?.participation;
    },
    async markPartial(flowId: string): Promise<void> {
      await db.query('UPDATE saml_logout_flows SET partial = true WHERE id = $1', [flowId]);
    },
    /** The LogoutRequest id the current participation's service must answer. */
    async awaitAnswer(flowId: string, requestId: string, participationId: string): Promise<void> {
      await db.query(
        'UPDATE saml_logout_flows SET current_request_id = $2 WHERE id = $1 AND current_participation = $3::bigint',
        [flowId, requestId, participationId],
      );
    },
    /** The live flow waiting for that answer, with the service it asked. */
    async awaiting(requestId: string, now: Date): Promise<{ id: string; service_id: string | null } | undefined> {
      return (
        await db.query<{ id: string; service_id: string | null }>(
          `SELECT f.id, p.service_id FROM saml_logout_flows f LEFT JOIN session_participations p ON p.id = f.current_participation
     WHERE f.current_request_id = $1 AND f.expires_at > $2`,
          [requestId, now],
        )
      ).rows[0];
    },
    async answered(flowId: string, failed: boolean): Promise<void> {
      await db.query('UPDATE saml_logout_flows SET current_request_id = NULL, partial = partial OR $2 WHERE id = $1', [
        flowId,
        failed,
      ]);
    },
    /** Deletes a finished flow and answers its initiator, once. */
    async takeFinished(
      flowId: string,
      now: Date,
    ): Promise<{ initiator: LogoutInitiator; partial: boolean } | undefined> {
      return (
        await db.query<{ initiator: LogoutInitiator; partial: boolean }>(
          'DELETE FROM saml_logout_flows WHERE id = $1 AND expires_at > $2 AND cardinality(remaining) = 0 RETURNING initiator, partial',
          [flowId, now],
        )
      ).rows[0];
    },
  };
}
