import type { FastifyReply } from 'fastify';
import type { AppContext } from '../context.ts';
import type { SsoSession } from '../session/sso-session-repository.ts';
import type { LoginRequest } from './request.ts';

/**
 * Tells the service that the account cannot reach its level, in its own
 * terms (OIDC `unmet_authentication_requirements`, SAML NoAuthnContext), and
 * records it.
 */
export async function refuseUnmet(
  app: AppContext,
  login: LoginRequest,
  session: SsoSession,
  reachable: number,
): Promise<FastifyReply> {
  const details = { required: login.required, reachable };
  await app.audit.record(app.db, {
    actor: `account:${session.accountId}`,
    action: 'login.level_unmet',
    subject: `service:${login.service?.id ?? ''}`,
    outcome: 'failure',
    details,
  });
  return login.answer.refuse({ kind: 'unmet', ...details });
}
