import { queryScratch } from '../../e2e/helpers/server.ts';

/**
 * What one registration leaves in the database, read from outside the
 * server. A registration writes all of it in one transaction
 * (src/flows/registration/routes.ts): the account, its password means, the
 * verify_email link, the job that mails it (registration_mail, which queues
 * the mail itself: src/flows/registration/confirmation-mail.ts) and the
 * audit event.
 */
export interface StoredRegistration {
  username: string;
  email: string;
  verified: boolean;
  has_password: boolean;
  /** An unused verify_email link, or the address was confirmed with one. */
  has_link: boolean;
  has_audit: boolean;
  /**
   * The registration's mail job or the mail it queued is still pending (a delivered job keeps no payload, so delivery
   * is checked at the SMTP sink).
   */
  pending_mail: boolean;
}

export async function storedRegistrations(databaseUrl: string): Promise<StoredRegistration[]> {
  return queryScratch<StoredRegistration>(
    databaseUrl,
    `SELECT a.username, a.email, a.email_verified_at IS NOT NULL AS verified,
       EXISTS (SELECT 1 FROM authentication_means m WHERE m.account_id = a.id AND m.kind = 'password' AND m.secret LIKE '$argon2id$%') AS has_password,
       EXISTS (SELECT 1 FROM email_tokens e WHERE e.account_id = a.id AND e.purpose = 'verify_email' AND (e.used_at IS NULL OR a.email_verified_at IS NOT NULL)) AS has_link,
       EXISTS (SELECT 1 FROM audit_events v WHERE v.subject = 'account:' || a.id AND v.action = 'account.registered') AS has_audit,
       EXISTS (SELECT 1 FROM jobs j WHERE j.done_at IS NULL AND ((j.kind = 'mail' AND j.payload->>'to' = a.email) OR (j.kind = 'registration_mail' AND j.payload->>'accountId' = a.id::text))) AS pending_mail
     FROM accounts a`,
  );
}

/** Totals that tie the parts together: one mail job and one audit event per account, none without one. */
export async function registrationTotals(
  databaseUrl: string,
): Promise<{ accounts: number; mail_jobs: number; registered_events: number }> {
  const [totals] = await queryScratch<{ accounts: number; mail_jobs: number; registered_events: number }>(
    databaseUrl,
    `SELECT (SELECT count(*)::int FROM accounts) AS accounts,
            (SELECT count(*)::int FROM jobs WHERE kind = 'registration_mail') AS mail_jobs,
            (SELECT count(*)::int FROM audit_events WHERE action = 'account.registered') AS registered_events`,
  );
  if (!totals) throw new Error('no totals');
  return totals;
}

/** Registrations missing a part (mail: neither queued nor received by the sink). */
export function partialRegistrations(
  rows: StoredRegistration[],
  mailed: (email: string) => boolean,
): StoredRegistration[] {
  return rows.filter(
    (row) => !row.has_password || !row.has_link || !row.has_audit || !(row.pending_mail || mailed(row.email)),
  );
}
