import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { AppError } from '../../platform/http/errors.ts';
import type { SamlService } from '../../services/service-repository.ts';
import type { PendingSamlLogin } from './pending-login-repository.ts';

export type SamlLoginRequest = FastifyRequest<{ Params: { uid?: string } }>;

/** The pending SAML login of this browser, with its service; an unknown, foreign or answered one has expired. */
export async function loadPendingLogin(
  app: AppContext,
  request: SamlLoginRequest,
): Promise<{ pending: PendingSamlLogin; service: SamlService }> {
  const pending = await app.saml.pending.load(request.params.uid ?? '', request.cookies[app.cookies.saml]);
  if (!pending || pending.completed) throw new AppError('interaction_expired');
  const service = await app.services.samlById(pending.request.serviceId);
  if (!service) throw new AppError('interaction_expired');
  return { pending, service };
}

/** The name shown to the citizen: the request's DisplayInformation, else the registered name. */
export function shownName(pending: PendingSamlLogin, service: SamlService): string {
  return pending.request.displayName ?? service.displayName;
}
