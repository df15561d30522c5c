import type { AppContext } from '../../context.ts';
import { AppError } from '../../platform/http/errors.ts';
import type { RouteCheck } from '../../platform/http/route-options.ts';
import { secondFactorConfirmed } from '../../login/factors.ts';
import { safeReturnTo } from '../../web/page.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * "Mein Konto" beyond the overview: a live session that used a second
     * factor of the account, or the eID (issue 13, point 2). Set as a route
     * option; checked once, by the route checks (platform/http/route-options.ts).
     */
    secondFactor?: boolean;
  }
}

/** The route option for every page and form of "Mein Konto" but the overview. */
export const needsSecondFactor = { config: { secondFactor: true } } as const;

/**
 * Without a session: log in first. With the password alone on an account
 * that has a second factor: a page goes to the confirmation and comes back
 * afterwards; a form goes to the overview, which says why (a form of these
 * is never shown to such a session, so only a stale page or a forgery
 * gets here). Runs before the CSRF check, as it always did.
 */
export function secondFactorCheck(app: AppContext): RouteCheck {
  return {
    applies: (route) => route.config?.secondFactor === true,
    async check(request, reply) {
      const session = request.sso;
      if (!session) {
        // After the login, back to the section asked for (a bookmark of /account/sessions) where safeReturnTo allows.
        if (request.method === 'GET')
          return reply.redirect(`/login?return=${safeReturnTo(request.url.split('?')[0]) ?? '/account'}`, 303);
        throw new AppError('session_expired');
      }
      if (await secondFactorConfirmed(app, session)) return;
      if (request.method === 'GET')
        return reply.redirect(
          `/account/confirm?return=${encodeURIComponent(request.url.split('?')[0] ?? '/account')}`,
          303,
        );
      return reply.redirect('/account', 303);
    },
  };
}
