import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { cookieOptions } from '../../platform/http/cookies.ts';

/** A page of "Mein Konto", with an optional section: nothing else may be a target (no open redirect, OWASP). */
const accountPage = /^\/account(\/[a-z-]{1,40})?(#[a-z-]{1,40})?$/;

export function accountReturn(value: string | undefined): string | undefined {
  return value !== undefined && accountPage.test(value) ? value : undefined;
}

/** Where "Mein Konto"'s confirmation leads back to, kept for its few pages; the __Host- prefix in production. */
const cookieName = (app: AppContext) => `${app.config.production ? '__Host-' : ''}sk_return`;
const cookieSeconds = 15 * 60;

/** Remembers where the citizen was, so the confirmation with the second factor brings them back there. */
export function rememberReturn(app: AppContext, reply: FastifyReply, target: string | undefined): void {
  const safe = accountReturn(target);
  if (safe) reply.setCookie(cookieName(app), safe, cookieOptions(app.config.production, cookieSeconds));
  else reply.clearCookie(cookieName(app), cookieOptions(app.config.production));
}

/** The remembered page (once), or the account's overview. */
export function takeReturn(app: AppContext, request: FastifyRequest, reply: FastifyReply): string {
  const target = accountReturn(request.cookies[cookieName(app)]);
  if (target) reply.clearCookie(cookieName(app), cookieOptions(app.config.production));
  return target ?? '/account';
}
