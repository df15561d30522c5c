import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { AppError } from '../../platform/http/errors.ts';
import { readForm } from '../../platform/http/forms.ts';
import { pageContext, sendPage } from '../../web/page.ts';
import { loadInteraction, type Interaction } from '../login/interaction.ts';
import { grantConsent } from './grant.ts';
import { consentPage, missingScopes } from './page.ts';

/** The consent page of an interaction (the seed's fourth click): which data go to which service. */
export async function showConsent(app: AppContext, request: FastifyRequest, reply: FastifyReply, details: Interaction): Promise<FastifyReply> {
  const accountId = details.session?.accountId;
  if (!accountId || request.sso?.accountId !== accountId) throw new AppError('interaction_expired');
  const [service, account, attributes] = await Promise.all([app.services.byId(String(details.params.client_id)), app.accounts.byId(accountId), app.attributes.forAccount(accountId)]);
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

/** Consent given or refused; the login and consent interactions can both be cancelled. */
export function consentRoutes(app: AppContext) {
  return async function routes(fastify: FastifyInstance): Promise<void> {
    fastify.post<{ Params: { uid: string } }>('/interaction/:uid/consent', async (request, reply) => {
      const form = readForm(request.body);
      app.csrf.verify(request, form._csrf);
      const details = await loadInteraction(app, request, reply);
      const accountId = details.session?.accountId;
      if (details.prompt.name !== 'consent' || !accountId || request.sso?.accountId !== accountId) throw new AppError('interaction_expired');
      const grantId = await grantConsent(app, details, accountId, missingScopes(details));
      const target = await app.provider.interactionResult(request.raw, reply.raw, { consent: { grantId } }, { mergeWithLastSubmission: true });
      return reply.redirect(target, 303);
    });

    fastify.post<{ Params: { uid: string } }>('/interaction/:uid/abort', async (request, reply) => {
      const form = readForm(request.body);
      app.csrf.verify(request, form._csrf);
      await loadInteraction(app, request, reply);
      const target = await app.provider.interactionResult(
        request.raw,
        reply.raw,
        // OIDC Core §3.1.2.6: access_denied; the description is for the service's developers, not shown to citizens.
        { error: 'access_denied', error_description: 'The citizen cancelled the login or declined the release of data.' },
        { mergeWithLastSubmission: false },
      );
      return reply.redirect(target, 303);
    });
  };
}
