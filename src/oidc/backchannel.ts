import type Provider from 'oidc-provider';
import type { Queryable } from '../platform/db/database.ts';
import type { JobQueue } from '../platform/jobs/queue.ts';
import { payloadRepository } from './payload-repository.ts';

interface Target {
  clientId: string;
  sid: string;
}

/**
 * When sessions end outside the logout page (password reset, account
 * deletion), the services still get told: OpenID Connect Back-Channel
 * Logout 1.0 §2.5, sent by the job worker with retries.
 */
export function serviceLogout(provider: Provider, jobs: JobQueue) {
  jobs.register('backchannel_logout', async (payload) => {
    const { accountId, targets } = payload as { accountId: string; targets: Target[] };
    for (const target of targets) {
      // Client#backchannelLogout(sub, sid) is what the end-session endpoint calls (lib/models/client.js).
      const client = (await provider.Client.find(target.clientId)) as
        { backchannelLogoutUri?: string; backchannelLogout(sub: string, sid: string): Promise<void> } | undefined;
      if (client?.backchannelLogoutUri) await client.backchannelLogout(accountId, target.sid);
    }
  });
  return {
    /** Queues the notices for every provider session of the account; call before those sessions are deleted. */
    async queue(tx: Queryable, accountId: string): Promise<number> {
      const sessions = await payloadRepository(tx).sessionsOf(accountId);
      const targets: Target[] = sessions.flatMap((row) =>
        Object.entries(row.payload.authorizations ?? {}).flatMap(([clientId, authorization]) =>
          authorization.sid ? [{ clientId, sid: authorization.sid }] : [],
        ),
      );
      if (targets.length > 0) await jobs.enqueue(tx, 'backchannel_logout', { accountId, targets });
      return targets.length;
    },
  };
}

export type ServiceLogout = ReturnType<typeof serviceLogout>;
