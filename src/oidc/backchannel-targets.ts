import type { Queryable } from '../platform/db/database.ts';
import { payloadRepository } from './payload-repository.ts';

/**
 * The job kind of the back-channel logout notices (backchannel.ts registers its handler in every server). The CLI
 * queues it too (`servicekonto user lock`): it has no provider to send with, the servers' job workers send.
 */
export const backchannelLogoutJob = 'backchannel_logout';

/** Every provider session's services of the account, with the session id each knows. */
export async function backchannelTargets(
  tx: Queryable,
  accountId: string,
): Promise<{ clientId: string; sid: string }[]> {
  const sessions = await payloadRepository(tx).sessionsOf(accountId);
  return sessions.flatMap((row) =>
    Object.entries(row.payload.authorizations ?? {}).flatMap(([clientId, authorization]) =>
      authorization.sid ? [{ clientId, sid: authorization.sid }] : [],
    ),
  );
}
