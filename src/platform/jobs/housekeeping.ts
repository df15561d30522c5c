import type { AppContext } from '../../context.ts';
import { deleteExpiredPayloads } from '../../oidc/payload-repository.ts';
import { scheduleMetadataRefreshes } from '../../saml/metadata/refresh-schedule.ts';

/**
 * Deletes expired protocol records, sessions, links and finished jobs, and
 * keeps the SAML metadata refreshes queued. Every instance may run it; the
 * deletes are idempotent and the queueing is serialised.
 */
export async function housekeeping(app: AppContext): Promise<void> {
  const now = app.clock.now();
  await deleteExpiredPayloads(app.db, now);
  await app.sessions.deleteExpired();
  await app.db.query("DELETE FROM email_tokens WHERE expires_at < $1::timestamptz - interval '7 days'", [now]);
  await app.db.query(
    "DELETE FROM jobs WHERE done_at < $1::timestamptz - interval '7 days' OR (done_at IS NULL AND created_at < $1::timestamptz - interval '30 days')",
    [now],
  );
  // Registrations never confirmed are removed after a week, by password or by card alike (issue 13,
  // point 9): an unconfirmed address is only what was typed into a form, and a card account kept with
  // someone else's address would send that person its mails for ever. The card is free again to register.
  // Card accounts registered before this rule came (migration 0008) get a week from the upgrade.
  await app.db.query(
    `DELETE FROM accounts WHERE email_verified_at IS NULL AND created_at < $1::timestamptz - interval '7 days'
     AND (NOT EXISTS (SELECT 1 FROM eid_links WHERE eid_links.account_id = accounts.id)
          OR (SELECT applied_at FROM schema_migrations WHERE version = '0008_unconfirmed_addresses_free') < $1::timestamptz - interval '7 days')`,
    [now],
  );
  await app.db.query('DELETE FROM saml_pending_logins WHERE expires_at < $1', [now]);
  await app.db.query('DELETE FROM saml_seen_ids WHERE expires_at < $1', [now]);
  await app.db.query('DELETE FROM saml_logout_flows WHERE expires_at < $1', [now]);
  await app.db.query('DELETE FROM eid_transactions WHERE expires_at < $1', [now]);
  // Participations outlive their session only to answer a late logout; a week is plenty.
  await app.db.query(
    "DELETE FROM session_participations WHERE (ended_at IS NOT NULL AND ended_at < $1::timestamptz - interval '7 days') OR (ended_at IS NULL AND sso_session_id NOT IN (SELECT id FROM sso_sessions) AND created_at < $1::timestamptz - interval '7 days')",
    [now],
  );
  await app.db.query(
    "DELETE FROM rate_counters WHERE window_start < $1::timestamptz - interval '1 day' AND (blocked_until IS NULL OR blocked_until < $1)",
    [now],
  );
  // Each method's own leftovers (expired TANs, unused WebAuthn challenges), declared in its folder.
  for (const method of app.methods.list) await method.housekeeping?.(app.db, now);
  // Not a delete: it queues a metadata refresh for each SAML service registered from a URL that has none pending (see
  // refresh-schedule.ts).
  await scheduleMetadataRefreshes(app);
}

export function startHousekeeping(
  app: AppContext,
  log: { warn(obj: object, msg?: string): void },
  intervalMs = 10 * 60 * 1000,
): () => void {
  const timer = setInterval(
    () =>
      void housekeeping(app).catch((error: unknown) =>
        log.warn({ err: (error as Error).message }, 'housekeeping failed'),
      ),
    intervalMs,
  );
  timer.unref();
  return () => clearInterval(timer);
}
