import type { Account } from './account-repository.ts';
import type { Queryable } from '../platform/db/database.ts';
import { exportRepository } from './export-repository.ts';
import { inactivityRepository } from './inactivity-repository.ts';

/** Everything held about the citizen (GDPR Art. 15, 20); secrets are listed, never their values. */
export async function exportAccount(db: Queryable, account: Account, now: Date): Promise<Record<string, unknown>> {
  const { attributes, means, consents, sessions, audit, pending, grants } = await exportRepository(db).rowsOf(
    account.id,
    now,
  );
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
      // The last use and the deletion warnings sent since (DESIGN.md §7).
      ...(await inactivityRepository(db).stateOf(account.id)),
    },
    identity_attributes: attributes,
    authentication_means: means,
    consents,
    sessions,
    pending_email_change: pending[0] ?? null,
    services_with_tokens: grants,
    security_events: audit,
  };
}
