import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { grantConsent } from '../flows/consent/grant.ts';
import { missingScopes } from '../flows/consent/page.ts';
import { AppError } from '../platform/http/errors.ts';
import { finishInteraction, loadInteraction } from './interaction.ts';
import { oidcAnswerer } from './login-request.ts';

/** Consent given or refused; the login and consent interactions can both be cancelled. */
export function oidcConsentRoutes(app: AppContext) {
  return async function routes(fastify: FastifyInstance): Promise<void> {
    fastify.post<{ Params: { uid: string } }>('/interaction/:uid/consent', async (request, reply) => {
      const details = await loadInteraction(app, request, reply);
      const accountId = details.session?.accountId;
      if (details.prompt.name !== 'consent' || !accountId || request.sso?.accountId !== accountId)
        throw new AppError('interaction_expired');
      const grantId = await grantConsent(app, details, accountId, missingScopes(details));
      const target = await finishInteraction(app, request, reply, { consent: { grantId } }, { merge: true });
      return reply.redirect(target, 303);
    });

    // Either prompt: access_denied (OpenID Connect Core 1.0 §3.1.2.6).
    fastify.post<{ Params: { uid: string } }>('/interaction/:uid/abort', async (request, reply) => {
      await loadInteraction(app, request, reply);
      return oidcAnswerer(app, request, reply).refuse({ kind: 'cancel' });
    });
  };
}
