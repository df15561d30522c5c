import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import { AppError } from '../../platform/http/errors.ts';
import type { AccountView } from './account-view.ts';
import { needsSecondFactor } from './guard.ts';

/** "Verbundene Dienste": the services the citizen consented to, and taking that consent back. */
export function connectionRoutes(app: AppContext, view: AccountView) {
  return async function routes(fastify: FastifyInstance): Promise<void> {
    fastify.post('/account/services/revoke', needsSecondFactor, async (request, reply) => {
      const { form, accountId } = view.guarded(request);
      const serviceId = (form.service ?? '').slice(0, 200);
      const service = await app.services.byId(serviceId);
      if (!service) throw new AppError('bad_request');
      await app.db.transaction(async (tx) => {
        await app.repos(tx).consents.revoke(accountId, serviceId, app.clock.now());
        // Revoking consent also revokes the service's refresh and access tokens.
        await app.logout.revokeService(tx, accountId, serviceId);
        await app.audit.record(tx, {
          actor: `account:${accountId}`,
          action: 'consent.revoked',
          subject: `service:${serviceId}`,
          outcome: 'success',
        });
      });
      return view.done(request, reply, 'services', {
        kind: 'success',
        text: view.t(request)('account.services.revoked', { service: service.displayName }),
      });
    });
  };
}
