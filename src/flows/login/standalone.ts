import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import type { LoginFrontDoor } from '../../login/front-door.ts';
import type { LoginRequest } from '../../login/request.ts';
import { readForm, readQuery } from '../../platform/http/forms.ts';
import type { SsoSession } from '../../session/sso-session-repository.ts';
import { safeReturnTo } from '../../web/page.ts';
import { secondFactorConfirmed } from '../../login/factors.ts';

/**
 * After the stand-alone login: a service's login (the registration's way
 * back) asks for what it needs itself; "Mein Konto" of an account with a
 * second factor asks for it at once (issue 13, point 2), then goes on to
 * where the citizen was going.
 */
async function afterStandalone(
  app: AppContext,
  reply: FastifyReply,
  returnTo: string | undefined,
  session: SsoSession,
): Promise<FastifyReply> {
  if (returnTo && !returnTo.startsWith('/account')) return reply.redirect(returnTo, 303);
  if (!(await secondFactorConfirmed(app, session)))
    return reply.redirect(`/account/confirm?return=${encodeURIComponent(returnTo ?? '/account')}`, 303);
  return reply.redirect(returnTo ?? '/account', 303);
}

/**
 * The stand-alone login (/login, for "Mein Konto"); `return` comes with the
 * query, and with the form once posted. It is read only when asked for:
 * the eID pages under /login have no `return` and never read it.
 */
export function standaloneLoginRequest(app: AppContext, request: FastifyRequest, reply: FastifyReply): LoginRequest {
  const returnTo = () =>
    safeReturnTo((request.method === 'POST' ? readForm(request.body) : readQuery(request.query)).return);
  return {
    service: undefined,
    required: 1,
    allowedMethods: undefined,
    passive: false,
    forceAfter: undefined,
    lang: undefined,
    base: '/login',
    // Nothing to cancel back to: the page has no cancel button.
    cancel: { kind: 'link', href: '/' },
    get returnTo() {
      return returnTo();
    },
    guest: false,
    beforePage: async () => undefined,
    answer: {
      accept: (session) => afterStandalone(app, reply, returnTo(), session),
      refuse: async () => reply.redirect('/login', 303),
    },
  };
}

export function standaloneFrontDoor(app: AppContext): LoginFrontDoor {
  return {
    prefix: '/login',
    rememberDevice: true,
    load: async (request, reply) => standaloneLoginRequest(app, request, reply),
    // Logged in already: the account's overview.
    landing: async (request, reply, page, show) =>
      page === 'choice' && request.sso ? reply.redirect('/account', 303) : show(),
  };
}
