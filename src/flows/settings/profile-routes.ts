import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import type { AccountView } from './account-view.ts';
import { needsSecondFactor } from './guard.ts';
import { readProfile } from './profile-input.ts';

/** "Persönliche Daten": the identity data the citizen keeps themselves. */
export function profileRoutes(app: AppContext, view: AccountView) {
  return async function routes(fastify: FastifyInstance): Promise<void> {
    fastify.post('/account/profile', needsSecondFactor, async (request, reply) => {
      const { form, accountId } = view.guarded(request);
      const { values, errors } = readProfile(form);
      if (errors.length > 0)
        return view.show(request, reply, 'profile', { errors, values: values as Record<string, string> }, 400);
      await app.db.transaction(async (tx) => {
        await app.repos(tx).attributes.setTyped(accountId, values);
        await app.audit.account(tx, accountId, 'profile.updated');
      });
      return view.done(request, reply, 'profile', { kind: 'success', text: view.t(request)('account.profile.saved') });
    });
  };
}
