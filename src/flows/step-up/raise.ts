import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import type { SsoSession } from '../../session/sso-session.ts';
import { startSession } from '../login/complete-login.ts';

/**
 * A second factor was used: a new session (new id, OWASP: renew on privilege
 * change) at level substanziell, with the factors used (RFC 8176 amr).
 */
export function raiseSession(app: AppContext, request: FastifyRequest, reply: FastifyReply, session: SsoSession, amr: readonly string[]): Promise<SsoSession> {
  return startSession(app, request, reply, session.accountId, 3, [...new Set([...session.amr, ...amr, 'mfa'])]);
}
