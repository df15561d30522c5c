import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { needsSecondFactor } from '../../flows/settings/guard.ts';
import { notifyChange } from '../../flows/settings/notify.ts';
import { enrolmentRules } from '../../login/enrolment-rules.ts';
import { raiseSession } from '../../flows/step-up/raise.ts';
import { AppError } from '../../platform/http/errors.ts';
import { checkFields, readForm, readQuery } from '../../platform/http/forms.ts';
import type { SsoSession } from '../../session/sso-session-repository.ts';
import type { FieldError } from '../../web/components.ts';
import { pageContext, sendPage } from '../../web/page.ts';
import { needsConfirmation, type ShowAccount } from '../means-account.ts';
import { requiredSession } from '../../platform/http/route-options.ts';
import { smsConfirmPage } from './account-page.ts';
import { maskPhone, normalizePhone } from './phone.ts';
import { sixDigitCode } from '../code-format.ts';
import { smsPerHour } from './step-up-routes.ts';

/**
 * Registering a mobile number on "Mein Konto": a TAN to the number
 * confirms it, and the level it reaches depends on the session
 * (TR-03107-1, methods/second-factors.ts `enrolmentLevel`).
 */
export function smsAccountRoutes(app: AppContext, show: ShowAccount) {
  const { sms } = app.methods;

  const smsConfirm = async (
    request: FastifyRequest,
    reply: FastifyReply,
    current: SsoSession,
    errors: FieldError[] = [],
  ) => {
    const phone = await sms.pendingPhone(app.db, current.id, 'register');
    if (!phone) return reply.redirect('/account/security#means-section', 303);
    const p = pageContext(app, request, reply);
    const resent = errors.length === 0 && readQuery(request.query).resent === '1';
    return sendPage(
      reply,
      p,
      p.t('sms.confirmTitle'),
      smsConfirmPage(p, { phone: maskPhone(phone), resent, errors }),
      errors.length > 0 ? 400 : 200,
    );
  };

  return async function routes(fastify: FastifyInstance): Promise<void> {
    fastify.post('/account/sms', needsSecondFactor, async (request, reply) => {
      const form = readForm(request.body);
      const current = requiredSession(request);
      if (!sms.available) throw new AppError('not_found');
      if (!(await enrolmentRules(app, current, 'sms')).allowed) return show(request, reply, '', [needsConfirmation]);
      const { values, errors } = checkFields(form, [{ name: 'phone', max: 40, required: true }]);
      if (errors.length > 0) return show(request, reply, '', errors);
      const normalized = normalizePhone(values.phone ?? '');
      if ('problem' in normalized)
        return show(request, reply, '', [
          { field: 'phone', message: normalized.problem === 'notMobile' ? 'sms.phoneNotMobile' : 'sms.phoneInvalid' },
        ]);
      await app.rateLimiter.hit(`sms:account:${current.accountId}`, smsPerHour, 3600);
      const sent = await sms.sendTan(app.db, {
        sessionId: current.id,
        purpose: 'register',
        phone: normalized.phone,
        lang: pageContext(app, request, reply).lang,
      });
      if (!sent) return show(request, reply, '', [{ field: 'phone', message: 'sms.failed' }]);
      return reply.redirect('/account/sms/confirm', 303);
    });

    fastify.get('/account/sms/confirm', needsSecondFactor, async (request, reply) => {
      return smsConfirm(request, reply, requiredSession(request));
    });

    // A new TAN to the number being confirmed, within the same hourly limit; it replaces the pending one,
    // whose tries and time end with it (sms-repository.ts `saveChallenge`).
    fastify.post('/account/sms/resend', needsSecondFactor, async (request, reply) => {
      const current = requiredSession(request);
      if (!sms.available) throw new AppError('not_found');
      const phone = await sms.pendingPhone(app.db, current.id, 'register');
      if (!phone) return reply.redirect('/account/security#means-section', 303);
      await app.rateLimiter.hit(`sms:account:${current.accountId}`, smsPerHour, 3600);
      const sent = await sms.sendTan(app.db, {
        sessionId: current.id,
        purpose: 'register',
        phone,
        lang: pageContext(app, request, reply).lang,
      });
      if (!sent) return show(request, reply, '', [{ field: 'phone', message: 'sms.failed' }]);
      return reply.redirect('/account/sms/confirm?resent=1', 303);
    });

    fastify.post('/account/sms/confirm', needsSecondFactor, async (request, reply) => {
      const form = readForm(request.body);
      const current = requiredSession(request);
      const rules = await enrolmentRules(app, current, 'sms');
      if (!rules.allowed) return show(request, reply, '', [needsConfirmation]);
      // Not six digits: the format is named, and no try is used up (methods/code-format.ts).
      const tan = sixDigitCode(form.tan ?? '');
      if (tan === undefined) return smsConfirm(request, reply, current, [{ field: 'tan', message: 'code.format' }]);
      const phone = await app.db.transaction(async (tx) => {
        const confirmed = await sms.checkTan(tx, current.id, 'register', tan);
        if (!confirmed) return undefined;
        await sms.register(tx, current.accountId, confirmed, rules.level);
        await app.audit.account(tx, current.accountId, 'means.added', { kind: 'sms', level: rules.level });
        await notifyChange(app, tx, current.accountId, 'meansAdded', 'sms');
        return confirmed;
      });
      if (!phone) return smsConfirm(request, reply, current, [{ field: 'tan', message: 'sms.invalid' }]);
      await raiseSession(app, request, reply, current, sms.amr, rules.level);
      return show(
        request,
        reply,
        pageContext(app, request, reply).t(rules.level >= 3 ? 'sms.added' : 'sms.addedLow', {
          phone: maskPhone(phone),
        }),
      );
    });
  };
}
