import type { AppContext } from '../../context.ts';
import { emailLinkRepository } from '../../flows/email-link-repository.ts';
import { accountRepository } from '../../identity/account-repository.ts';
import { handleInactiveAccounts } from '../../identity/inactivity.ts';
import { deleteExpiredPayloads } from '../../oidc/payload-repository.ts';
import { scheduleMetadataRefreshes } from '../../saml/metadata/refresh-schedule.ts';
import { rateCounterRepository } from '../http/rate-counter-repository.ts';
import { housekeepingRepository } from './housekeeping-repository.ts';
import { jobRepository } from './job-repository.ts';

/**
 * Deletes expired protocol records, sessions, links, finished jobs and unused accounts (after two warnings), and
 * keeps the SAML metadata refreshes queued. Every instance may run it; the
 * deletes are idempotent and the queueing is serialised.
 */
export async function housekeeping(app: AppContext): Promise<void> {
  const now = app.clock.now();
  await deleteExpiredPayloads(app.db, now);
  await app.sessions.deleteExpired();
  await emailLinkRepository(app.db).deleteExpired(now);
  await jobRepository(app.db).deleteOld(now);
  await accountRepository(app.db).removeUnconfirmed(now);
  // Unused accounts: warned twice, then deleted (DESIGN.md §7).
  await handleInactiveAccounts(app);
  const expired = housekeepingRepository(app.db);
  await expired.deleteExpiredSaml(now);
  await expired.deleteOldParticipations(now);
  await rateCounterRepository(app.db).deleteStale(now);
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
