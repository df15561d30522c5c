import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { AppError } from '../../platform/http/errors.ts';
import type { SsoSession } from '../../session/sso-session.ts';
import { loadInteraction, type Interaction } from '../login/interaction.ts';

export type UidRequest = FastifyRequest<{ Params: { uid: string } }>;

/** The pending login interaction, the SSO session it steps up from, and the service's name. */
export async function stepUpContext(app: AppContext, request: UidRequest, reply: FastifyReply): Promise<{ details: Interaction; session: SsoSession; serviceName: string }> {
  const details = await loadInteraction(app, request, reply);
  const session = request.sso;
  if (details.prompt.name !== 'login' || !session) throw new AppError('interaction_expired');
  const service = await app.services.byId(String(details.params.client_id));
  return { details, session, serviceName: service?.displayName ?? String(details.params.client_id) };
}
