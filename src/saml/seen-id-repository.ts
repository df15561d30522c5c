import type { Queryable } from '../platform/db/database.ts';
import type { Bind } from '../platform/db/statement-pieces.ts';

const insertSeen = (serviceId: string, messageId: string, expiresAt: string) =>
  `INSERT INTO saml_seen_ids (service_id, message_id, expires_at) VALUES (${serviceId}, ${messageId}, ${expiresAt})
   ON CONFLICT DO NOTHING`;

/**
 * `add` as a common table expression of a caller's statement (platform/db/statement-pieces.ts): one row when the
 * id is new, none when it was seen before.
 */
export function seenIdCte(
  name: string,
  bind: Bind,
  seen: { serviceId: string; messageId: string; expiresAt: Date },
): string {
  return `${name} AS (${insertSeen(bind(seen.serviceId), bind(seen.messageId), bind(seen.expiresAt))} RETURNING 1)`;
}

/** The ids of inbound SAML messages seen, per service, in `saml_seen_ids` (saml/inbound.ts: replay). */
export function seenIdRepository(db: Queryable) {
  return {
    /** Records the id; false when it was recorded before. */
    async add(serviceId: string, messageId: string, expiresAt: Date): Promise<boolean> {
      const result = await db.query(insertSeen('$1', '$2', '$3'), [serviceId, messageId, expiresAt]);
      return result.rowCount === 1;
    },
  };
}
