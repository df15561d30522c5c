import type { FastifyReply, FastifyRequest } from 'fastify';
import { cookieOptions } from '../../platform/http/cookies.ts';

/**
 * "Ihr Konto ist aktiv. Melden Sie sich jetzt an." on the next login page
 * of this browser, after a confirmed registration (issue 15, point 1). A
 * short-lived cookie, not a query parameter: the way to that page may lead
 * through the service, which starts its login afresh (after-confirmation.ts).
 */
const lifetimeSeconds = 15 * 60;
const cookieName = (production: boolean) => `${production ? '__Host-' : ''}sk_activated`;

export function setActivatedNotice(reply: FastifyReply, production: boolean): void {
  reply.setCookie(cookieName(production), '1', cookieOptions(production, lifetimeSeconds));
}

/** Whether the notice is due; shown once, so the cookie goes with it. */
export function takeActivatedNotice(request: FastifyRequest, reply: FastifyReply, production: boolean): boolean {
  const name = cookieName(production);
  if (request.cookies[name] !== '1') return false;
  reply.setCookie(name, '', cookieOptions(production, 0));
  return true;
}
