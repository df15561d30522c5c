import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { continueLogin } from '../../login/continue.ts';
import { sessionAllowed } from '../../login/session-allowed.ts';
import type { SamlService } from '../../services/service-repository.ts';
import type { SsoSession } from '../../session/sso-session-repository.ts';
import { samlLoginRequest } from './login-request.ts';
import type { PendingSamlLogin, SamlLoginRequest } from './pending-login-repository.ts';

export { requestedScopes } from './login-request.ts';

/**
 * Whether the browser's session may answer this request without a new login:
 * ForceAuthn (saml-core §3.4.1) and AKDB AuthnMethods (login/session-allowed.ts).
 */
export function sessionAnswers(request: SamlLoginRequest, session: SsoSession | undefined): session is SsoSession {
  return sessionAllowed(
    {
      forceAfter: request.forceAuthn ? new Date(request.receivedAt) : undefined,
      allowedMethods: request.allowedMethods,
    },
    session,
  );
}

/** After any step of a SAML login: the one login pipeline (login/continue.ts) with the SAML answerer. */
export function continueSamlLogin(
  app: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  pending: PendingSamlLogin,
  service: SamlService,
  session: SsoSession,
): Promise<FastifyReply> {
  return continueLogin(app, reply, samlLoginRequest(app, request, reply, pending, service), session);
}
