import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { Csrf } from './csrf.ts';
import { AppError } from './errors.ts';
import { readForm } from './forms.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * `false` only for endpoints that other sites post to by design (the
     * SAML POST binding, Bindings §3.5) and for forms whose own secret is
     * the proof (the mailed confirmation link's token, which must work in
     * a browser without our cookie); every other POST carries the form's
     * CSRF token and is refused without it (csrf.ts).
     */
    csrf?: false;
    /** Without a live SSO session a page goes to the login, a form is refused. */
    session?: 'required';
  }
}

/** One check a route option asks for; `check` answers (and returns the reply) or lets the request on. */
export interface RouteCheck {
  applies(route: RouteOptions): boolean;
  check(request: FastifyRequest, reply: FastifyReply): Promise<unknown>;
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);
const changesState = (route: RouteOptions) => [route.method].flat().some((method) => !safeMethods.has(method));

/** Every state-changing route unless it opts out: CSRF by default is safer than by opt-in. */
export function csrfCheck(csrf: Csrf): RouteCheck {
  return {
    applies: (route) => changesState(route) && route.config?.csrf !== false,
    async check(request) {
      csrf.verify(request, readForm(request.body)._csrf);
    },
  };
}

export const sessionCheck: RouteCheck = {
  applies: (route) => route.config?.session === 'required',
  async check(request, reply) {
    if (request.sso) return;
    // HEAD too: Fastify answers it with the GET route, and a page answers it as it answers GET (RFC 9110 §9.3.2).
    if (request.method === 'GET' || request.method === 'HEAD') return reply.redirect('/login?return=/account', 303);
    throw new AppError('session_expired');
  },
};

/** The session of a route whose checks required one (for the types; the check already ran). */
export function requiredSession(request: FastifyRequest): NonNullable<FastifyRequest['sso']> {
  if (!request.sso) throw new AppError('session_expired');
  return request.sso;
}

/**
 * Route options checked by one hook (STYLE.md "Plumbing once", fastify/demo
 * autohooks): each route gets the checks its options ask for, in the order
 * listed here, before its handler and after every instance-wide hook (so the
 * session is known). Install before any route is added.
 */
export function installRouteChecks(fastify: FastifyInstance, checks: readonly RouteCheck[]): void {
  fastify.addHook('onRoute', (route) => {
    const mine = checks.filter((c) => c.applies(route)).map((c) => c.check);
    if (mine.length === 0) return;
    const own = route.preHandler ? [route.preHandler].flat() : [];
    route.preHandler = [...mine, ...own];
  });
}
