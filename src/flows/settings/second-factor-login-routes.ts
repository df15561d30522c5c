import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import { secondFactors } from '../../methods/second-factors.ts';
import { passwordEnoughForLow, setPasswordEnoughForLow } from '../../methods/means-repository.ts';
import { AppError } from '../../platform/http/errors.ts';
import type { AccountView } from './account-view.ts';
import { needsSecondFactor } from './guard.ts';
import { notifyChange } from './notify.ts';

/** Issue 13, point 2a: the citizen may let the password alone do for services that need only niedrig. */
export function secondFactorLoginRoutes(app: AppContext, view: AccountView) {
  return async function routes(fastify: FastifyInstance): Promise<void> {
    fastify.post('/account/second-factor-login', needsSecondFactor, async (request, reply) => {
      const { form, accountId } = view.guarded(request);
      // Only with a second factor to choose about: set beforehand, it would silently weaken the one added later.
      if ((await secondFactors(app.db, accountId)).size === 0) throw new AppError('bad_request');
      const enough = form.password_enough === 'yes';
      if (enough !== (await passwordEnoughForLow(app.db, accountId))) {
        await app.db.transaction(async (tx) => {
          await setPasswordEnoughForLow(tx, accountId, enough);
          await app.audit.account(tx, accountId, enough ? 'second_factor_login.off' : 'second_factor_login.on');
          // Weakening the login is told to the owner, like every change of the means.
          if (enough) await notifyChange(app, tx, accountId, 'secondFactorOff');
        });
      }
      return view.done(request, reply, 'security', {
        kind: 'success',
        text: view.t(request)(enough ? 'account.secondFactorLogin.savedOff' : 'account.secondFactorLogin.savedOn'),
      });
    });
  };
}
