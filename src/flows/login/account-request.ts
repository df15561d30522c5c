import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import type { LoginRequest } from '../../login/request.ts';
import { meansMaximum, secondFactors } from '../../methods/second-factors.ts';
import type { SsoSession } from '../../session/sso-session-repository.ts';
import { takeReturn } from '../step-up/account-return.ts';

/**
 * "Mein Konto"'s confirmation (/account/confirm): the account's data need a
 * session that used a second factor, and changing the means one at the
 * account's maximum (TR-03160-1); asking for the maximum gives both. No
 * service: the confirmation leads back to where the citizen was
 * (account-return.ts).
 */
export async function accountLoginRequest(
  app: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  session: SsoSession,
): Promise<LoginRequest> {
  return {
    service: undefined,
    required: meansMaximum(await secondFactors(app.db, session.accountId)),
    allowedMethods: undefined,
    passive: false,
    forceAfter: undefined,
    lang: undefined,
    base: '/account/confirm',
    cancel: { kind: 'link', href: '/account' },
    returnTo: undefined,
    guest: false,
    beforePage: async () => undefined,
    answer: {
      accept: async () => reply.redirect(takeReturn(app, request, reply), 303),
      refuse: async () => reply.redirect('/account', 303),
    },
  };
}
