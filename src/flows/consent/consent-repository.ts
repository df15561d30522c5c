import type { Queryable } from '../../platform/db/database.ts';

export interface Consent {
  serviceId: string;
  serviceName: string;
  scopes: string[];
  grantedAt: Date;
}

/**
 * The scopes of the active consent of an account to a service (SQL
 * expressions) as one column, null without consent: what `active` reads,
 * for a statement that reads the account beside it (issue 16).
 */
export const activeScopesColumn = (accountId: string, serviceId: string) =>
  `(SELECT scopes FROM consents WHERE account_id = ${accountId} AND service_id = ${serviceId} AND revoked_at IS NULL)`;

/** Consent per account, service and set of scopes (DESIGN.md §2), kept across sessions. */
export function consentRepository(db: Queryable) {
  return {
    async active(accountId: string, serviceId: string): Promise<string[] | undefined> {
      const result = await db.query<{ scopes: string[] }>(
        'SELECT scopes FROM consents WHERE account_id = $1 AND service_id = $2 AND revoked_at IS NULL',
        [accountId, serviceId],
      );
      return result.rows[0]?.scopes;
    },
    /** Adds scopes to the consent (a service asking for more gets asked again, and the union is kept). */
    async grant(
      accountId: string,
      serviceId: string,
      scopes: string[],
      at: Date,
      context?: Record<string, string>,
    ): Promise<void> {
      await db.query(
        `INSERT INTO consents (account_id, service_id, scopes, granted_at, context) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (account_id, service_id) DO UPDATE SET
           scopes = CASE WHEN consents.revoked_at IS NULL THEN ARRAY(SELECT DISTINCT unnest(consents.scopes || EXCLUDED.scopes) ORDER BY 1) ELSE EXCLUDED.scopes END,
           granted_at = EXCLUDED.granted_at, revoked_at = NULL, context = coalesce(EXCLUDED.context, consents.context)`,
        [accountId, serviceId, [...new Set(scopes)].sort(), at, context ? JSON.stringify(context) : null],
      );
    },
    async revoke(accountId: string, serviceId: string, at: Date): Promise<boolean> {
      const result = await db.query(
        'UPDATE consents SET revoked_at = $3 WHERE account_id = $1 AND service_id = $2 AND revoked_at IS NULL',
        [accountId, serviceId, at],
      );
      return result.rowCount > 0;
    },
    async listActive(accountId: string): Promise<Consent[]> {
      const result = await db.query<{ service_id: string; display_name: string; scopes: string[]; granted_at: Date }>(
        `SELECT c.service_id, s.display_name, c.scopes, c.granted_at FROM consents c JOIN services s ON s.id = c.service_id
         WHERE c.account_id = $1 AND c.revoked_at IS NULL ORDER BY s.display_name`,
        [accountId],
      );
      return result.rows.map((r) => ({
        serviceId: r.service_id,
        serviceName: r.display_name,
        scopes: r.scopes,
        grantedAt: r.granted_at,
      }));
    },
  };
}

export type ConsentRepository = ReturnType<typeof consentRepository>;
