import type { Queryable } from '../../platform/db/database.ts';

/**
 * The metadata refresh jobs of SAML services in `jobs`
 * (saml/metadata/refresh-schedule.ts: one pending job per service registered
 * from a URL).
 */
export function refreshJobRepository(db: Queryable) {
  return {
    /** Holds the lock until the transaction ends: queueing is serialised across instances. */
    async lock(lockId: number): Promise<void> {
      await db.query('SELECT pg_advisory_xact_lock($1)', [lockId]);
    },
    /** Queues the service's next refresh at `runAt`, unless one is queued after `now` already. */
    async queueNext(kind: string, entityId: string, runAt: Date, now: Date): Promise<void> {
      await db.query(
        `INSERT INTO jobs (kind, payload, run_at) SELECT $1, jsonb_build_object('entityId', $2::text), $3
     WHERE NOT EXISTS (SELECT 1 FROM jobs WHERE kind = $1 AND done_at IS NULL AND payload->>'entityId' = $2 AND run_at > $4)`,
        [kind, entityId, runAt, now],
      );
    },
    /** Queues a refresh, due `now`, for every service registered from a URL that has none pending; their number. */
    async queueMissing(kind: string, now: Date): Promise<number> {
      const result = await db.query(
        `INSERT INTO jobs (kind, payload, run_at)
       SELECT $1, jsonb_build_object('entityId', s.id), $2 FROM services s
       WHERE s.protocol = 'saml' AND s.config->>'metadataUrl' IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.kind = $1 AND j.done_at IS NULL AND j.payload->>'entityId' = s.id)`,
        [kind, now],
      );
      return result.rowCount;
    },
  };
}
