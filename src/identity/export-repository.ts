import type { Queryable } from '../platform/db/database.ts';

/** The rows an account export lists (identity/export.ts), read side by side. */
export function exportRepository(db: Queryable) {
  return {
    async rowsOf(accountId: string, now: Date) {
      const [attributes, means, consents, sessions, audit, pending, grants] = await Promise.all([
        db.query(
          'SELECT name, value, trust_level, source, verified_at, updated_at FROM identity_attributes WHERE account_id = $1 ORDER BY name',
          [accountId],
        ),
        db.query(
          'SELECT kind, display_name, level, created_at, last_used_at, blocked_at FROM authentication_means WHERE account_id = $1 ORDER BY created_at',
          [accountId],
        ),
        db.query(
          'SELECT c.service_id, s.display_name, c.scopes, c.granted_at, c.revoked_at FROM consents c JOIN services s ON s.id = c.service_id WHERE c.account_id = $1',
          [accountId],
        ),
        db.query(
          'SELECT level, amr, device, auth_time, last_active_at, expires_at FROM sso_sessions WHERE account_id = $1',
          [accountId],
        ),
        db.query('SELECT at, action, outcome, details FROM audit_events WHERE subject = $1 OR actor = $1 ORDER BY id', [
          `account:${accountId}`,
        ]),
        db.query(
          "SELECT new_email, expires_at FROM email_tokens WHERE account_id = $1 AND purpose = 'change_email' AND used_at IS NULL AND expires_at > $2",
          [accountId, now],
        ),
        db.query(
          "SELECT client_id, model, expires_at FROM oidc_payloads WHERE account_id = $1 AND model IN ('Grant', 'AccessToken', 'RefreshToken') ORDER BY client_id, model",
          [accountId],
        ),
      ]);
      return {
        attributes: attributes.rows,
        means: means.rows,
        consents: consents.rows,
        sessions: sessions.rows,
        audit: audit.rows,
        pending: pending.rows,
        grants: grants.rows,
      };
    },
  };
}
