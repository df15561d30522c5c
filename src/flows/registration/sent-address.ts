import type { FastifyReply, FastifyRequest } from 'fastify';
import { cookieOptions } from '../../platform/http/cookies.ts';

/**
 * The address the "check your mail" page names after the redirect from the
 * form (post/redirect/get): in a short-lived cookie of this browser, never
 * in the URL, where it would land in logs and the history.
 */
const cookieName = (production: boolean) => `${production ? '__Host-' : ''}sk_register_sent`;

export function rememberSentAddress(reply: FastifyReply, email: string, production: boolean): void {
  reply.setCookie(cookieName(production), email, cookieOptions(production, 3600));
}

export function sentAddress(request: FastifyRequest, production: boolean): string | undefined {
  const email = request.cookies[cookieName(production)];
  return email && email.length <= 254 ? email : undefined;
}
