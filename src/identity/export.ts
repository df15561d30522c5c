import type { Account } from './account-repository.ts';
import type { Queryable } from '../platform/db/database.ts';

/** Everything held about the citizen (GDPR Art. 15, 20); secrets are listed, never their values. */
export async function exportAccount(db: Queryable, account: Account, now: Date): Promise<Record<string, unknown>> {
  const [attributes, means, consents, sessions, audit, pending, grants] = await Promise.all([
    db.query(
      'SELECT name, value, trust_level, source, verified_at, updated_at FROM identity_attributes WHERE account_id = $1 ORDER BY name',
      [account.id],
    ),
    db.query(
      'SELECT kind, display_name, level, created_at, last_used_at, blocked_at FROM authentication_means WHERE account_id = $1 ORDER BY created_at',
      [account.id],
    ),
    db.query(
      'SELECT c.service_id, s.display_name, c.scopes, c.granted_at, c.revoked_at FROM consents c JOIN services s ON s.id = c.service_id WHERE c.account_id = $1',
      [account.id],
    ),
    db.query('SELECT level, amr, auth_time, last_active_at, expires_at FROM sso_sessions WHERE account_id = $1', [
      account.id,
    ]),
    db.query('SELECT at, action, outcome, details FROM audit_events WHERE subject = $1 OR actor = $1 ORDER BY id', [
      `account:${account.id}`,
    ]),
    db.query(
      "SELECT new_email, expires_at FROM email_tokens WHERE account_id = $1 AND purpose = 'change_email' AND used_at IS NULL AND expires_at > $2",
      [account.id, now],
    ),
    db.query(
      "SELECT client_id, model, expires_at FROM oidc_payloads WHERE account_id = $1 AND model IN ('Grant', 'AccessToken', 'RefreshToken') ORDER BY client_id, model",
      [account.id],
    ),
  ]);
  return {
    exported_at: now.toISOString(),
    account: {
      id: account.id,
      username: account.username,
      email: account.email,
      email_verified_at: account.emailVerifiedAt,
      language: account.language,
      created_at: account.createdAt,
      last_login_at: account.lastLoginAt,
    },
    identity_attributes: attributes.rows,
    authentication_means: means.rows,
    consents: consents.rows,
    sessions: sessions.rows,
    pending_email_change: pending.rows[0] ?? null,
    services_with_tokens: grants.rows,
    security_events: audit.rows,
  };
}
