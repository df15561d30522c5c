import type { RegistrationResponseJSON } from '@simplewebauthn/server';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import { needsSecondFactor } from '../../flows/settings/guard.ts';
import { notifyChange } from '../../flows/settings/notify.ts';
import { enrolmentRules } from '../../login/enrolment-rules.ts';
import { raiseSession } from '../../flows/step-up/raise.ts';
import { hasControlCharacters } from '../../flows/validation.ts';
import { AppError } from '../../platform/http/errors.ts';
import { checkFields, readForm } from '../../platform/http/forms.ts';
import { pageContext } from '../../web/page.ts';
import { needsConfirmation, type ShowAccount } from '../means-account.ts';
import { requiredSession } from '../../platform/http/route-options.ts';
import { parseCeremonyResponse } from './ceremony.ts';

/** Adding a security key or passkey on "Mein Konto"; it confirms itself by its registration (TR-03160-1). */
export function webauthnAccountRoutes(app: AppContext, show: ShowAccount) {
  const { webauthn } = app.methods;

  return async function routes(fastify: FastifyInstance): Promise<void> {
    fastify.post('/account/webauthn/options', needsSecondFactor, async (request, reply) => {
      const current = requiredSession(request);
      const account = await app.accounts.byId(current.accountId);
      if (!account) throw new AppError('session_expired');
      if (!(await enrolmentRules(app, current, 'webauthn')).allowed) throw new AppError('bad_request');
      return reply
        .header('cache-control', 'no-store')
        .send(await webauthn.registrationOptions(app.db, current.id, account));
    });

    fastify.post('/account/webauthn', needsSecondFactor, async (request, reply) => {
      const form = readForm(request.body);
      const current = requiredSession(request);
      const rules = await enrolmentRules(app, current, 'webauthn');
      if (!rules.allowed) return show(request, reply, '', [needsConfirmation]);
      const { values, errors } = checkFields(form, [{ name: 'key_name', max: 60 }]);
      const name = values.key_name ?? '';
      if (errors.length === 0 && hasControlCharacters(name))
        errors.push({ field: 'key_name', message: 'attr.invalidText' });
      if (errors.length > 0) return show(request, reply, '', errors);
      const response = parseCeremonyResponse<RegistrationResponseJSON>(form.response);
      const added =
        response !== undefined &&
        (await app.db.transaction(async (tx) => {
          if (!(await webauthn.register(tx, current.id, current.accountId, response, name, rules.level))) return false;
          await app.audit.account(tx, current.accountId, 'means.added', { kind: 'webauthn', level: rules.level });
          await notifyChange(app, tx, current.accountId, 'meansAdded', 'webauthn');
          return true;
        }));
      if (!added) return show(request, reply, '', [{ field: 'key_name', message: 'webauthn.invalid' }]);
      // TR-03160-1: the new means confirmed itself in this session; the session now has both factors.
      await raiseSession(app, request, reply, current, webauthn.amr, rules.level);
      return show(request, reply, pageContext(app, request, reply).t('webauthn.added', { name }));
    });
  };
}
