import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import type { SsoSession } from '../session/sso-session-repository.ts';
import { acrByLevel } from '../session/acr.ts';
import { finishInteraction } from './interaction.ts';

/** Hands the SSO session to oidc-provider and returns where the browser goes next. */
export async function finishOidcLogin(
  app: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  session: SsoSession,
): Promise<string> {
  return finishInteraction(app, request, reply, {
    login: {
      accountId: session.accountId,
      acr: acrByLevel[session.level],
      amr: session.amr,
      ts: Math.floor(session.authTime.getTime() / 1000),
      remember: true,
    },
  });
}
