import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import type { ShowAccount } from '../../methods/means-account.ts';
import { renameMeans } from '../../methods/means-repository.ts';
import { meansMaximum, secondFactors } from '../../methods/second-factors.ts';
import { AppError } from '../../platform/http/errors.ts';
import { checkFields, readForm, readQuery } from '../../platform/http/forms.ts';
import { requiredSession } from '../../platform/http/route-options.ts';
import { pageContext } from '../../web/page.ts';
import { rememberReturn } from '../step-up/account-return.ts';
import { askableFactors, factorPath, usableFactors } from '../../login/factors.ts';
import { hasControlCharacters } from '../validation.ts';
import { needsSecondFactor } from './guard.ts';
import { meansRemovalRoutes } from './means-removal-routes.ts';

export { needsConfirmation } from '../../methods/means-account.ts';

/**
 * Adding, renaming, removing and blocking means on "Mein Konto". Adding,
 * removing and blocking need a login at the account's current maximum level,
 * and a new means confirms itself in the same session (TR-03160-1); a
 * session can never swap an existing software token.
 */
export function meansRoutes(app: AppContext, show: ShowAccount) {
  return async function routes(fastify: FastifyInstance): Promise<void> {
    // Each method's enrolment and own management (methods/<id>/account-routes.ts).
    for (const method of app.methods.list) {
      if (method.accountRoutes) await fastify.register(method.accountRoutes(app, show));
    }

    // The way into the account's step-up: straight to the one factor that reaches the maximum, or a choice.
    fastify.get('/account/confirm', { config: { session: 'required' } }, async (request, reply) => {
      const { accountId } = requiredSession(request);
      rememberReturn(app, reply, readQuery(request.query).return ?? '/account/security#means-section');
      const required = meansMaximum(await secondFactors(app.db, accountId, app.methods.kinds('second')));
      // The factors at the maximum first; failing those (an SMS number without a gateway), any other confirms the data
      // at least.
      const path =
        factorPath('/account/confirm', await usableFactors(app, accountId, required)) ??
        factorPath('/account/confirm', await askableFactors(app, accountId));
      return reply.redirect(path ?? '/account/security#means-section', 303);
    });

    fastify.post('/account/means/rename', needsSecondFactor, async (request, reply) => {
      const form = readForm(request.body);
      const current = requiredSession(request);
      const { values, errors } = checkFields(form, [
        { name: 'means_id', max: 36 },
        { name: 'means_name', max: 60, required: true },
      ]);
      const field = `means_name-${values.means_id ?? ''}`;
      const name = (values.means_name ?? '').trim();
      if (errors.length > 0 || name === '' || hasControlCharacters(name))
        return show(request, reply, '', [{ field, message: 'means.nameInvalid' }]);
      // Only a means of this account: the id comes from the form.
      const renamed = await renameMeans(app.db, {
        accountId: current.accountId,
        meansId: values.means_id ?? '',
        kinds: app.methods.kinds('second'),
        name,
      });
      if (!renamed) throw new AppError('bad_request');
      return show(request, reply, pageContext(app, request, reply).t('means.renamed', { name }));
    });

    // Removing and blocking (means-removal-routes.ts).
    await fastify.register(meansRemovalRoutes(app, show));
  };
}
