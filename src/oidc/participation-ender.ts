import type { ParticipationEnder } from '../session/logout-fan-out.ts';
import { revokeTokensOf } from './payload-repository.ts';
import type { ServiceLogout } from './backchannel.ts';

/**
 * OIDC services when an account's logins end everywhere: back-channel
 * logout notices for every provider session (OpenID Connect Back-Channel
 * Logout 1.0 §2.5, queued before those sessions go), then every code,
 * refresh and access token (RFC 6819 §5.2.2.3). A logout in the browser
 * needs no walk: oidc-provider's end-session page handles OIDC services.
 */
export function oidcParticipationEnder(serviceLogout: ServiceLogout): ParticipationEnder {
  return {
    async notifyAccount(tx, accountId) {
      await serviceLogout.queue(tx, accountId);
    },
    notifyDeletion: (tx, accountId) => serviceLogout.queueDeletion(tx, accountId),
    async revokeAccount(tx, accountId) {
      await revokeTokensOf(tx, accountId);
    },
    async revokeService(tx, accountId, serviceId) {
      await revokeTokensOf(tx, accountId, serviceId);
    },
  };
}
