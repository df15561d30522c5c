import type { Clock } from '../platform/clock.ts';
import { sessionLimits } from '../session/limits.ts';
import { levelOfAcr } from './acr.ts';

/**
 * Tokens end with the session they came from: a refresh token lives at most
 * as long as the longest session of its level after the authentication
 * (TR-03160-1 table 2: 12 h, 2 h, 30 min), rotations included, since they
 * keep the original auth_time.
 */
export function remainingSessionSeconds(clock: Clock, acr: string | undefined, authTime: number | undefined): number {
  const level = levelOfAcr(acr) ?? 1;
  const started = authTime ?? Math.floor(clock.now().getTime() / 1000);
  const left = started + sessionLimits(level).maxSeconds - Math.floor(clock.now().getTime() / 1000);
  // oidc-provider wants a positive lifetime; a token past its session is born expired.
  return Math.max(1, left);
}
