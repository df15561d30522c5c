import type { Queryable } from '../platform/db/database.ts';

/** The ids of inbound SAML messages seen, per service, in `saml_seen_ids` (saml/inbound.ts: replay). */
export function seenIdRepository(db: Queryable) {
  return {
    /** Records the id; false when it was recorded before. */
    async add(serviceId: string, messageId: string, expiresAt: Date): Promise<boolean> {
      const result = await db.query(
        'INSERT INTO saml_seen_ids (service_id, message_id, expires_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
        [serviceId, messageId, expiresAt],
      );
      return result.rowCount === 1;
    },
  };
}
