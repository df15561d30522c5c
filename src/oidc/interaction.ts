import type { FastifyReply, FastifyRequest } from 'fastify';
import { errors, type InteractionResults } from 'oidc-provider';
import type { AppContext } from '../context.ts';
import { AppError } from '../platform/http/errors.ts';

export type Interaction = Awaited<ReturnType<AppContext['provider']['interactionDetails']>>;

/**
 * The interaction each request loaded: a page's landing and its login
 * request, and the result written at its end, share one read of the
 * storage (issue 16: each read of it is a round trip to PostgreSQL).
 */
const loaded = new WeakMap<FastifyRequest, Promise<Interaction>>();

/** The pending oidc-provider interaction of this browser, checked against the URL's uid; read once per request. */
export function loadInteraction(
  app: AppContext,
  request: FastifyRequest<{ Params: { uid?: string } }>,
  reply: FastifyReply,
): Promise<Interaction> {
  let found = loaded.get(request);
  if (!found) {
    found = readInteraction(app, request, reply);
    loaded.set(request, found);
  }
  return found;
}

/** Whether this request read its interaction (loadInteraction). */
export const interactionLoaded = (request: FastifyRequest): boolean => loaded.has(request);

async function readInteraction(
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

/**
 * Stores the interaction's result and answers where the browser goes next,
 * as `provider.interactionResult` does, but on the interaction this request
 * already read instead of reading it again. `merge` keeps the results of the
 * interaction's earlier prompts (the login's, when consent follows). The
 * provider keeps the interaction until its own expiry.
 */
export async function finishInteraction(
  app: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  result: InteractionResults,
  { merge = false }: { merge?: boolean } = {},
): Promise<string> {
  const found = loaded.get(request);
  if (!found) return app.provider.interactionResult(request.raw, reply.raw, result, { mergeWithLastSubmission: merge });
  const interaction = await found;
  interaction.result = merge && !('error' in result) ? { ...interaction.lastSubmission, ...result } : result;
  await interaction.save(interaction.exp - Math.floor(Date.now() / 1000));
  return interaction.returnTo;
}
