import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import { consentPage } from '../flows/consent/page.ts';
import { AppError } from '../platform/http/errors.ts';
import { pageContext, sendPage } from '../web/page.ts';
import type { Interaction } from './interaction.ts';

/** The consent page of an interaction (the seed's fourth click): which data go to which service. */
export async function showConsent(
  app: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  details: Interaction,
): Promise<FastifyReply> {
  const accountId = details.session?.accountId;
  if (!accountId || request.sso?.accountId !== accountId) throw new AppError('interaction_expired');
  const [service, account, attributes] = await Promise.all([
    app.services.byId(String(details.params.client_id)),
    app.accounts.byId(accountId),
    app.attributes.forAccount(accountId),
  ]);
  if (!account) throw new AppError('interaction_expired');
  const p = pageContext(app, request, reply);
  const body = consentPage(p, {
    base: `/interaction/${details.uid}`,
    serviceName: service?.displayName ?? String(details.params.client_id),
    operator: service?.operator ?? undefined,
    scopes: String(details.params.scope ?? 'openid').split(' '),
    account,
    attributes,
  });
  return sendPage(reply, p, p.t('consent.title'), body);
}
