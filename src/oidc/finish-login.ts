import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import type { SsoSession } from '../session/sso-session-repository.ts';
import { acrByLevel } from '../session/acr.ts';
import type { Queryable } from '../platform/db/database.ts';
import { finishInteraction } from './interaction.ts';
import { inTransaction } from './request-scope.ts';

/** Hands the SSO session to oidc-provider and returns where the browser goes next. */
export async function finishOidcLogin(
  app: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  session: SsoSession,
  tx?: Queryable,
): Promise<string> {
  const result = {
    login: {
      accountId: session.accountId,
      acr: acrByLevel[session.level],
      amr: session.amr,
      ts: Math.floor(session.authTime.getTime() / 1000),
      remember: true,
    },
  };
  return tx
    ? inTransaction(tx, () => finishInteraction(app, request, reply, result))
    : finishInteraction(app, request, reply, result);
}
