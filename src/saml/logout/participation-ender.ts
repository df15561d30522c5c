import type { Clock } from '../../platform/clock.ts';
import type { ParticipationEnder } from '../../session/logout-fan-out.ts';
import { startLogoutFlow } from './flow.ts';
import { hasSamlParticipations } from './participation-repository.ts';

/**
 * SAML services when a session ends in the browser: a single logout walks
 * the browser through each service that took part (saml-profiles §4.4,
 * front-channel), then on. Nothing without the browser: the profile has no
 * back-channel here.
 */
export function samlParticipationEnder(clock: Clock): ParticipationEnder {
  return {
    async browserLogout(tx, { sessionId, continueTo }) {
      if (!(await hasSamlParticipations(tx, sessionId))) return undefined;
      const flowId = await startLogoutFlow(tx, clock.now(), { sessionId, initiator: { kind: 'local', continueTo } });
      return `/saml/logout/next/${flowId}`;
    },
  };
}
