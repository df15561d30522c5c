import type { Clock } from '../../platform/clock.ts';
import type { Database, Queryable } from '../../platform/db/database.ts';
import type { JobQueue, Logger } from '../../platform/jobs/queue.ts';
import { refreshJobRepository } from './refresh-job-repository.ts';
import { refreshServiceProviderMetadata, type RefreshContext } from './refresh.ts';

/*
 * Why job rows and not housekeeping alone: housekeeping runs on every
 * instance, so fetching from there would fetch once per instance and needs a
 * "last fetched" time per service that the schema does not have. A job row is
 * claimed by exactly one instance (FOR UPDATE SKIP LOCKED), and its `run_at`
 * is that time. So each service registered from a URL has one pending job;
 * running it refreshes the metadata and queues the next one (6 hours, or the
 * metadata's cacheDuration). Housekeeping only repairs the chain: it queues
 * a job, due at once, for every such service that has none pending (a service
 * just added, or a job the queue gave up on). One advisory lock serialises
 * both, so two instances never queue a service twice.
 */
export const refreshJobKind = 'saml_metadata_refresh';
const scheduleLockId = 7_283_006;

async function queueNext(tx: Queryable, entityId: string, now: Date, runAt: Date): Promise<void> {
  const jobs = refreshJobRepository(tx);
  await jobs.lock(scheduleLockId);
  // The running job is still pending (run_at in the past); a second run of it, after a crash, finds the next one queued
  // already.
  await jobs.queueNext(refreshJobKind, entityId, runAt, now);
}

/** Registers the job on this instance's queue; every instance must, since any of them may claim it. */
export function registerMetadataRefresh(app: RefreshContext & { jobs: JobQueue }, log: Logger): void {
  app.jobs.register(refreshJobKind, async (payload) => {
    const entityId = typeof payload.entityId === 'string' ? payload.entityId : '';
    const result = await refreshServiceProviderMetadata(app, entityId);
    if (result.outcome === 'not_from_url') return;
    if (result.outcome === 'failed')
      log.warn(
        { service: entityId, problem: result.problem, detail: result.detail },
        'SAML metadata refresh failed; the previous metadata stays in use',
      );
    if (result.outcome === 'updated') {
      log.info({ service: entityId, changed: result.changed }, 'SAML metadata refreshed');
      // Only when something changed: unchanged metadata was warned about when it arrived.
      for (const warning of result.warnings) log.warn({ service: entityId }, `SAML metadata: ${warning}`);
    }
    const now = app.clock.now();
    await app.db.transaction((tx) => queueNext(tx, entityId, now, new Date(now.getTime() + result.refreshInMs)));
  });
}

/**
 * Called by housekeeping on every instance: queues a refresh, due now, for
 * each service registered from a URL that has none pending. A job the queue
 * gave up on has had its payload cleared, so it no longer counts.
 */
export async function scheduleMetadataRefreshes(app: { db: Database; clock: Clock }): Promise<number> {
  return app.db.transaction(async (tx) => {
    const jobs = refreshJobRepository(tx);
    await jobs.lock(scheduleLockId);
    return jobs.queueMissing(refreshJobKind, app.clock.now());
  });
}
