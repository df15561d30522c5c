import type { Queryable } from '../platform/db/database.ts';

/**
 * Which OIDC services can hear of an account's deletion by back-channel (oidc/backchannel.ts `queueDeletion`): read
 * from the services table, in the deleting transaction, before the consents go with the account.
 */
export function deletionNoticeRepository(db: Queryable) {
  return {
    /**
     * OIDC services holding the account's consent that registered a back-channel logout URI and take a logout token
     * without a session id (`backchannel_logout_session_required` unset or false, Back-Channel Logout 1.0 §2.2).
     */
    async consentHoldersTakingSubject(accountId: string): Promise<string[]> {
      const result = await db.query<{ id: string }>(
        `SELECT s.id FROM consents c JOIN services s ON s.id = c.service_id
          WHERE c.account_id = $1 AND c.revoked_at IS NULL AND s.protocol = 'oidc'
            AND coalesce(s.config->>'backchannel_logout_uri', '') <> ''
            AND coalesce(s.config->>'backchannel_logout_session_required', 'false') <> 'true'
          ORDER BY s.id`,
        [accountId],
      );
      return result.rows.map((row) => row.id);
    },
    /** Of these OIDC services, those that registered a back-channel logout URI. */
    async withBackchannelUri(ids: readonly string[]): Promise<string[]> {
      if (ids.length === 0) return [];
      const result = await db.query<{ id: string }>(
        `SELECT id FROM services WHERE id = ANY($1::text[]) AND protocol = 'oidc'
            AND coalesce(config->>'backchannel_logout_uri', '') <> '' ORDER BY id`,
        [ids],
      );
      return result.rows.map((row) => row.id);
    },
  };
}
