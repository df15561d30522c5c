import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import { needsSecondFactor } from '../../flows/settings/guard.ts';
import { notifyChange } from '../../flows/settings/notify.ts';
import { confirmsIdentity, reauthError, reauthState } from '../../flows/settings/reauth.ts';
import { enrolmentRules } from '../../login/enrolment-rules.ts';
import { recoveryCodesPage } from '../../flows/step-up/page.ts';
import { checkFields, readForm } from '../../platform/http/forms.ts';
import { pageContext, sendPage } from '../../web/page.ts';
import { needsConfirmation, type ShowAccount } from '../means-account.ts';
import { requiredSession } from '../../platform/http/route-options.ts';
import { secondFactors } from '../second-factors.ts';

/** New recovery codes on "Mein Konto", for the app they stand in for. */
export function recoveryAccountRoutes(app: AppContext, show: ShowAccount) {
  const { recovery } = app.methods;

  return async function routes(fastify: FastifyInstance): Promise<void> {
    fastify.post('/account/recovery-codes', needsSecondFactor, async (request, reply) => {
      const form = readForm(request.body);
      const current = requiredSession(request);
      const level = (await secondFactors(app.db, current.accountId, app.methods.kinds('second'))).get(
        recovery.standsInFor,
      );
      if (level === undefined) return reply.redirect('/account/security', 303);
      // New codes stand in for the app at its level: like adding a means, this needs a session at the
      // account's maximum (TR-03160-1), or the password alone would buy a second factor (issue 13, 1).
      if (!(await enrolmentRules(app, current, 'totp')).allowed) return show(request, reply, '', [needsConfirmation]);
      const { values } = checkFields(form, [{ name: 'renew_password', max: 256 }]);
      if (!(await confirmsIdentity(app, current, values.renew_password))) {
        return show(request, reply, '', [reauthError(await reauthState(app, current), 'renew_password')]);
      }
      const codes = await app.db.transaction(async (tx) => {
        await app.audit.account(tx, current.accountId, 'means.recovery_codes_renewed');
        await notifyChange(app, tx, current.accountId, 'recoveryCodesRenewed');
        return recovery.renew(tx, current.accountId, level);
      });
      const p = pageContext(app, request, reply);
      return sendPage(reply, p, p.t('recovery.title'), recoveryCodesPage(p, codes, '/account/security'));
    });
  };
}
