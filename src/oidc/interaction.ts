import type { FastifyReply, FastifyRequest } from 'fastify';
import { errors } from 'oidc-provider';
import type { AppContext } from '../context.ts';
import { AppError } from '../platform/http/errors.ts';

export type Interaction = Awaited<ReturnType<AppContext['provider']['interactionDetails']>>;

/** The pending oidc-provider interaction of this browser, checked against the URL's uid. */
export async function loadInteraction(
  app: AppContext,
  request: FastifyRequest<{ Params: { uid?: string } }>,
  reply: FastifyReply,
): Promise<Interaction> {
  let details: Interaction;
  try {
    details = await app.provider.interactionDetails(request.raw, reply.raw);
  } catch (error) {
    // An unknown or expired interaction is the citizen's to retry; anything else is ours (5xx).
    if (error instanceof errors.SessionNotFound) throw new AppError('interaction_expired');
    throw error;
  }
  if (details.uid !== request.params.uid) throw new AppError('interaction_expired');
  return details;
}
