import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FieldError } from '../web/components.ts';

/**
 * Shows "Mein Konto" again after a change to the means: with a notice on
 * success, with the errors beside their fields otherwise (settings/routes.ts
 * renders it).
 */
export type ShowAccount = (
  request: FastifyRequest,
  reply: FastifyReply,
  notice: string,
  errors?: FieldError[],
) => Promise<FastifyReply>;

/** The error shown when a change needs a session at the account's maximum; it links to the confirmation. */
export const needsConfirmation: FieldError = { field: 'means-confirm', message: 'means.needsConfirm' };
