/**
 * Unsigned logout messages bound to the browser that carries them.
 *
 * saml-profiles §4.4.4.1 and §4.4.4.2: a LogoutRequest and a LogoutResponse
 * must be authenticated "either by signing [it] or using a binding-specific
 * mechanism". pysaml2, SimpleSAMLphp and OneLogin send both unsigned over
 * HTTP-Redirect by default. Their binding-specific proof here is the browser
 * itself: it must carry what only the browser of that login holds.
 * - A LogoutRequest: our SSO session cookie, of a session the issuing
 *   service took part in, with the NameID (and SessionIndex, when given)
 *   we issued to it in that session (participation-repository.ts `boundParticipation`).
 * - A LogoutResponse: the cookie naming the logout this browser is walking,
 *   whose current LogoutRequest went to the issuer with that id
 *   (`rememberLogoutFlow`, checked in flow.ts).
 * A service whose metadata says AuthnRequestsSigned="true" signs its logout
 * messages as well; anything else unsigned is refused (routes.ts).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { cookieOptions } from '../../platform/http/cookies.ts';

/** The running logout's flow id; the __Host- prefix in production, like every cookie of ours. */
const cookieName = (app: AppContext) => `${app.config.production ? '__Host-' : ''}sk_saml_logout`;

/** As long as a logout flow lives (flow.ts): a service answering later finds no flow anyway. */
const cookieSeconds = 10 * 60;

/**
 * Sent with each LogoutRequest of ours: the service's answer comes back by a
 * top-level navigation, so the SameSite=Lax cookie comes with it.
 */
export function rememberLogoutFlow(app: AppContext, reply: FastifyReply, flowId: string): void {
  reply.setCookie(cookieName(app), flowId, cookieOptions(app.config.production, cookieSeconds));
}

export function forgetLogoutFlow(app: AppContext, request: FastifyRequest, reply: FastifyReply): void {
  if (request.cookies[cookieName(app)] !== undefined)
    reply.clearCookie(cookieName(app), cookieOptions(app.config.production));
}

/** The flow id this browser is walking, if any. */
export function logoutFlowOfBrowser(app: AppContext, request: FastifyRequest): string | undefined {
  return request.cookies[cookieName(app)];
}
