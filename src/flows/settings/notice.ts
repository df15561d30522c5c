/**
 * Exports `keepNotice` and `takeNotice`: the message a change on "Mein
 * Konto" leaves for the page it redirects to (post/redirect/get, issue 15
 * point 2: reloading a page never sends a form again). The text rides in
 * a short-lived cookie, read once; it is shown escaped like any text, and
 * only on "Mein Konto".
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { cookieOptions } from '../../platform/http/cookies.ts';

export interface Notice {
  kind: 'success' | 'info';
  text: string;
}

const cookieName = (app: AppContext) => `${app.config.production ? '__Host-' : ''}sk_notice`;
const seconds = 60;
const maxLength = 1000;

export function keepNotice(app: AppContext, reply: FastifyReply, notice: Notice): void {
  const value = Buffer.from(JSON.stringify([notice.kind, notice.text.slice(0, maxLength)])).toString('base64url');
  reply.setCookie(cookieName(app), value, cookieOptions(app.config.production, seconds));
}

/** The notice left for this page, once; anything malformed is dropped. */
export function takeNotice(app: AppContext, request: FastifyRequest, reply: FastifyReply): Notice | undefined {
  const raw = request.cookies[cookieName(app)];
  if (raw === undefined) return undefined;
  reply.clearCookie(cookieName(app), cookieOptions(app.config.production));
  try {
    const [kind, text] = JSON.parse(
      Buffer.from(raw.slice(0, 4 * maxLength), 'base64url').toString('utf8'),
    ) as unknown[];
    if ((kind === 'success' || kind === 'info') && typeof text === 'string' && text.length <= maxLength)
      return { kind, text };
  } catch {
    // A cookie that is not ours: nothing to show.
  }
  return undefined;
}
