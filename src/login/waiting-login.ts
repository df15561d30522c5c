import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import { cookieOptions } from '../platform/http/cookies.ts';

/**
 * A service's login that waits on its level page (flows/level) while the
 * citizen closes the gap elsewhere (the card linked on "Mein Konto"): that
 * flow's last page leads back to it. Only a level page of ours may be a
 * target (no open redirect, OWASP).
 */
const levelPage = /^\/(?:interaction|saml\/login)\/[A-Za-z0-9_-]{1,100}\/level$/;

const cookieName = (app: AppContext) => `${app.config.production ? '__Host-' : ''}sk_waiting_login`;
/** As long as a service's login waits (an OIDC interaction lives 30 minutes, oidc/provider.ts). */
const cookieSeconds = 30 * 60;

export function rememberWaitingLogin(app: AppContext, reply: FastifyReply, path: string): void {
  if (levelPage.test(path)) reply.setCookie(cookieName(app), path, cookieOptions(app.config.production, cookieSeconds));
}

export function forgetWaitingLogin(app: AppContext, request: FastifyRequest, reply: FastifyReply): void {
  if (request.cookies[cookieName(app)] !== undefined)
    reply.clearCookie(cookieName(app), cookieOptions(app.config.production));
}

/** The level page of the login that waits in this browser, if any. */
export function waitingLogin(app: AppContext, request: FastifyRequest): string | undefined {
  const value = request.cookies[cookieName(app)];
  return value !== undefined && levelPage.test(value) ? value : undefined;
}
