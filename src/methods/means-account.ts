import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../platform/http/errors.ts';
import type { SsoSession } from '../session/sso-session.ts';
import type { FieldError } from '../web/components.ts';

/**
 * Shows "Mein Konto" again after a change to the means: with a notice on
 * success, with the errors beside their fields otherwise (settings/routes.ts
 * renders it).
 */
export type ShowAccount = (request: FastifyRequest, reply: FastifyReply, notice: string, errors?: FieldError[]) => Promise<FastifyReply>;

/** The error shown when a change needs a session at the account's maximum; it links to the confirmation. */
export const needsConfirmation: FieldError = { field: 'means-confirm', message: 'means.needsConfirm' };

/** The session a "Mein Konto" form was posted in; a form without one has expired. */
export function postedSession(request: FastifyRequest): SsoSession {
  if (!request.sso) throw new AppError('session_expired');
  return request.sso;
}
