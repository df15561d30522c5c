import type Provider from 'oidc-provider';
import type { Queryable } from '../platform/db/database.ts';
import type { JobQueue } from '../platform/jobs/queue.ts';
import { deletionNoticeRepository } from './deletion-notice-repository.ts';
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
        | {
            backchannelLogoutUri?: string;
            backchannelLogoutSessionRequired?: boolean;
            backchannelLogout(sub: string, sid: string): Promise<void>;
          }
        | undefined;
      // A notice without a session (queueDeletion) only to a service that takes one (Back-Channel Logout 1.0 §2.2).
      if (!target.sid && client?.backchannelLogoutSessionRequired) continue;
      if (client?.backchannelLogoutUri) await client.backchannelLogout(accountId, target.sid);
    }
  });
  return {
    /** Queues the notices for every provider session of the account; call before those sessions are deleted. */
    async queue(tx: Queryable, accountId: string): Promise<number> {
      const targets = await sessionTargets(tx, accountId);
      if (targets.length > 0) await jobs.enqueue(tx, 'backchannel_logout', { accountId, targets });
      return targets.length;
    },
    /**
     * The account is about to be deleted (DESIGN.md §7: services holding consent are told). Services holding its
     * consent with no session to name get a logout token with the subject alone (Back-Channel Logout 1.0 §2.4: "sub"
     * or "sid"), where they take one; those with a session hear of it through `queue`. Returns the ids of every
     * service a notice goes to, both kinds.
     */
    async queueDeletion(tx: Queryable, accountId: string): Promise<string[]> {
      const withSession = new Set((await sessionTargets(tx, accountId)).map((target) => target.clientId));
      const notices = deletionNoticeRepository(tx);
      const holders = (await notices.consentHoldersTakingSubject(accountId)).filter((id) => !withSession.has(id));
      if (holders.length > 0)
        await jobs.enqueue(tx, 'backchannel_logout', {
          accountId,
          targets: holders.map((clientId): Target => ({ clientId, sid: '' })),
        });
      return [...holders, ...(await notices.withBackchannelUri([...withSession]))].sort();
    },
  };
}

/** Every provider session's services of the account, with the session id each knows. */
async function sessionTargets(tx: Queryable, accountId: string): Promise<Target[]> {
  const sessions = await payloadRepository(tx).sessionsOf(accountId);
  return sessions.flatMap((row) =>
    Object.entries(row.payload.authorizations ?? {}).flatMap(([clientId, authorization]) =>
      authorization.sid ? [{ clientId, sid: authorization.sid }] : [],
    ),
  );
}

export type ServiceLogout = ReturnType<typeof serviceLogout>;
