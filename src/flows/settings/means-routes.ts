import type { RegistrationResponseJSON } from '@simplewebauthn/server';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { meansMaximum, secondFactors, type SecondFactorKind } from '../../methods/second-factors.ts';
import { askableFactors, factorPath, usableFactors } from '../step-up/factors.ts';
import { maskPhone, normalizePhone } from '../../methods/sms/phone.ts';
import { AppError } from '../../platform/http/errors.ts';
import { checkFields, readForm, readQuery } from '../../platform/http/forms.ts';
import type { SsoSession } from '../../session/sso-session.ts';
import { alert, type FieldError } from '../../web/components.ts';
import { html } from '../../web/html.ts';
import { pageContext, sendPage } from '../../web/page.ts';
import { startSession } from '../login/complete-login.ts';
import { confirmTotpEnrolment, enrolmentRules, totpEnrolment } from '../step-up/enrolment.ts';
import { recoveryCodesPage, totpSetupPage } from '../step-up/page.ts';
import { rememberReturn } from '../step-up/account-return.ts';
import { raiseSession } from '../step-up/raise.ts';
import { smsPerHour } from '../../methods/sms/step-up-routes.ts';
import { parseCeremonyResponse } from '../../methods/webauthn/ceremony.ts';
import { hasControlCharacters } from '../validation.ts';
import { backupKindsOf, blockMeans } from './block.ts';
import { removeMeans, renameMeans } from '../../methods/means-repository.ts';
import { needsSecondFactor } from './guard.ts';
import { notifyChange } from './notify.ts';
import { confirmsIdentity, reauthError, reauthState } from './reauth.ts';
import { smsConfirmPage } from './means-page.ts';

type Show = (request: FastifyRequest, reply: FastifyReply, notice: string, errors?: FieldError[]) => Promise<FastifyReply>;

/** The error shown when a change needs a session at the account's maximum; it links to the confirmation. */
export const needsConfirmation: FieldError = { field: 'means-confirm', message: 'means.needsConfirm' };

/**
 * Adding, renaming, removing and blocking means on "Mein Konto". Adding,
 * removing and blocking need a login at the account's current maximum level,
 * and a new means confirms itself in the same session (TR-03160-1); a
 * session can never swap an existing software token.
 */
export function meansRoutes(app: AppContext, show: Show) {
  const { totp, sms, webauthn } = app.methods;

  async function session(request: FastifyRequest): Promise<SsoSession> {
    if (!request.sso) throw new AppError('session_expired');
    return request.sso;
  }

  const setupPage = async (request: FastifyRequest, reply: FastifyReply, accountId: string, invalid = false) => {
    const { secret, qrDataUrl } = await totpEnrolment(app, accountId);
    const p = pageContext(app, request, reply);
    const body = totpSetupPage(p, {
      action: '/account/totp/setup',
      intro: p.t('totp.setupIntroAccount'),
      cancel: html`<p class="kern-body"><a class="kern-link" href="/account">${p.t('form.cancel')}</a></p>`,
      secret,
      qrDataUrl,
      ...(invalid ? { errors: [{ field: 'code', message: 'totp.invalid' as const }] } : {}),
    });
    return sendPage(reply, p, p.t('totp.setupTitle'), body, invalid ? 400 : 200);
  };

  /**
   * With no second factor left, a password session falls back to what the password reaches. An eID
   * session keeps its level: it never rested on the second factor (and the account may have no password).
   */
  async function lowerIfNoneLeft(request: FastifyRequest, reply: FastifyReply, current: SsoSession): Promise<void> {
    if (current.method === 'eid') return;
    if ((await secondFactors(app.db, current.accountId)).size === 0) await startSession(app, request, reply, current.accountId, 2, ['pwd']);
  }

  const smsConfirm = async (request: FastifyRequest, reply: FastifyReply, current: SsoSession, errors: FieldError[] = []) => {
    const phone = await sms.pendingPhone(app.db, current.id, 'register');
    if (!phone) return reply.redirect('/account#means-section', 303);
    const p = pageContext(app, request, reply);
    return sendPage(reply, p, p.t('sms.confirmTitle'), smsConfirmPage(p, { phone: maskPhone(phone), errors }), errors.length > 0 ? 400 : 200);
  };

  return async function routes(fastify: FastifyInstance): Promise<void> {
    // The way into the account's step-up: straight to the one factor that reaches the maximum, or a choice.
    fastify.get('/account/confirm', async (request, reply) => {
      if (!request.sso) return reply.redirect('/login?return=/account', 303);
      rememberReturn(app, reply, readQuery(request.query).return ?? '/account#means-section');
      const required = meansMaximum(await secondFactors(app.db, request.sso.accountId));
      // The factors at the maximum first; failing those (an SMS number without a gateway), any other confirms the data at least.
      const path = factorPath('/account/confirm', await usableFactors(app, request.sso.accountId, required)) ?? factorPath('/account/confirm', await askableFactors(app, request.sso.accountId));
      return reply.redirect(path ?? '/account#means-section', 303);
    });

    fastify.get('/account/totp/setup', needsSecondFactor, async (request, reply) => {
      if (!request.sso) return reply.redirect('/login?return=/account', 303);
      const current = request.sso;
      if (await totp.hasConfirmed(app.db, current.accountId)) return reply.redirect('/account', 303);
      if (!(await enrolmentRules(app, current, 'totp')).allowed) return show(request, reply, '', [needsConfirmation]);
      return setupPage(request, reply, current.accountId);
    });

    fastify.post('/account/totp/setup', needsSecondFactor, async (request, reply) => {
      const form = readForm(request.body);
      app.csrf.verify(request, form._csrf);
      const current = await session(request);
      if (await totp.hasConfirmed(app.db, current.accountId)) return reply.redirect('/account', 303);
      if (!(await enrolmentRules(app, current, 'totp')).allowed) return show(request, reply, '', [needsConfirmation]);
      const enrolled = await confirmTotpEnrolment(app, current, form.code ?? '');
      if (!enrolled) return setupPage(request, reply, current.accountId, true);
      // The new means was just used: the session now has both factors.
      await raiseSession(app, request, reply, current, totp.amr, enrolled.level);
      const p = pageContext(app, request, reply);
      return sendPage(reply, p, p.t('recovery.title'), html`${alert('success', p.t('means.totpAdded'))}${recoveryCodesPage(p, enrolled.codes, '/account')}`);
    });

    fastify.post('/account/recovery-codes', needsSecondFactor, async (request, reply) => {
      const form = readForm(request.body);
      app.csrf.verify(request, form._csrf);
      const current = await session(request);
      const level = (await secondFactors(app.db, current.accountId)).get('totp');
      if (level === undefined) return reply.redirect('/account', 303);
      // New codes stand in for the app at its level: like adding a means, this needs a session at the
      // account's maximum (TR-03160-1), or the password alone would buy a second factor (issue 13, 1).
      if (!(await enrolmentRules(app, current, 'totp')).allowed) return show(request, reply, '', [needsConfirmation]);
      const { values } = checkFields(form, [{ name: 'renew_password', max: 256 }]);
      if (!(await confirmsIdentity(app, current, values.renew_password))) {
        return show(request, reply, '', [reauthError(await reauthState(app, current), 'renew_password')]);
      }
      const codes = await app.db.transaction(async (tx) => {
        await app.audit.record(tx, { actor: `account:${current.accountId}`, action: 'means.recovery_codes_renewed', subject: `account:${current.accountId}`, outcome: 'success' });
        await notifyChange(app, tx, current.accountId, 'recoveryCodesRenewed');
        return app.methods.recovery.renew(tx, current.accountId, level);
      });
      app.mailer.flush();
      const p = pageContext(app, request, reply);
      return sendPage(reply, p, p.t('recovery.title'), recoveryCodesPage(p, codes, '/account'));
    });

    fastify.post('/account/webauthn/options', needsSecondFactor, async (request, reply) => {
      const form = readForm(request.body);
      app.csrf.verify(request, form._csrf);
      const current = await session(request);
      const account = await app.accounts.byId(current.accountId);
      if (!account) throw new AppError('session_expired');
      if (!(await enrolmentRules(app, current, 'webauthn')).allowed) throw new AppError('bad_request');
      return reply.header('cache-control', 'no-store').send(await webauthn.registrationOptions(app.db, current.id, account));
    });

    fastify.post('/account/webauthn', needsSecondFactor, async (request, reply) => {
      const form = readForm(request.body);
      app.csrf.verify(request, form._csrf);
      const current = await session(request);
      const rules = await enrolmentRules(app, current, 'webauthn');
      if (!rules.allowed) return show(request, reply, '', [needsConfirmation]);
      const { values, errors } = checkFields(form, [{ name: 'key_name', max: 60 }]);
      const name = values.key_name ?? '';
      if (errors.length === 0 && hasControlCharacters(name)) errors.push({ field: 'key_name', message: 'attr.invalidText' });
      if (errors.length > 0) return show(request, reply, '', errors);
      const response = parseCeremonyResponse<RegistrationResponseJSON>(form.response);
      const added = response !== undefined && (await app.db.transaction(async (tx) => {
        if (!(await webauthn.register(tx, current.id, current.accountId, response, name, rules.level))) return false;
        await app.audit.record(tx, { actor: `account:${current.accountId}`, action: 'means.added', subject: `account:${current.accountId}`, outcome: 'success', details: { kind: 'webauthn', level: rules.level } });
        await notifyChange(app, tx, current.accountId, 'meansAdded', 'webauthn');
        return true;
      }));
      if (!added) return show(request, reply, '', [{ field: 'key_name', message: 'webauthn.invalid' }]);
      app.mailer.flush();
      // TR-03160-1: the new means confirmed itself in this session; the session now has both factors.
      await raiseSession(app, request, reply, current, webauthn.amr, rules.level);
      return show(request, reply, pageContext(app, request, reply).t('webauthn.added', { name }));
    });

    fastify.post('/account/sms', needsSecondFactor, async (request, reply) => {
      const form = readForm(request.body);
      app.csrf.verify(request, form._csrf);
      const current = await session(request);
      if (!sms.available) throw new AppError('not_found');
      if (!(await enrolmentRules(app, current, 'sms')).allowed) return show(request, reply, '', [needsConfirmation]);
      const { values, errors } = checkFields(form, [{ name: 'phone', max: 40, required: true }]);
      if (errors.length > 0) return show(request, reply, '', errors);
      const normalized = normalizePhone(values.phone ?? '');
      if ('problem' in normalized) return show(request, reply, '', [{ field: 'phone', message: normalized.problem === 'notMobile' ? 'sms.phoneNotMobile' : 'sms.phoneInvalid' }]);
      await app.rateLimiter.hit(`sms:account:${current.accountId}`, smsPerHour, 3600);
      const sent = await sms.sendTan(app.db, { sessionId: current.id, purpose: 'register', phone: normalized.phone, lang: pageContext(app, request, reply).lang });
      if (!sent) return show(request, reply, '', [{ field: 'phone', message: 'sms.failed' }]);
      return reply.redirect('/account/sms/confirm', 303);
    });

    fastify.get('/account/sms/confirm', needsSecondFactor, async (request, reply) => {
      if (!request.sso) return reply.redirect('/login?return=/account', 303);
      return smsConfirm(request, reply, request.sso);
    });

    fastify.post('/account/sms/confirm', needsSecondFactor, async (request, reply) => {
      const form = readForm(request.body);
      app.csrf.verify(request, form._csrf);
      const current = await session(request);
      const rules = await enrolmentRules(app, current, 'sms');
      if (!rules.allowed) return show(request, reply, '', [needsConfirmation]);
      const phone = await app.db.transaction(async (tx) => {
        const confirmed = await sms.checkTan(tx, current.id, 'register', (form.tan ?? '').trim());
        if (!confirmed) return undefined;
        await sms.register(tx, current.accountId, confirmed, rules.level);
        await app.audit.record(tx, { actor: `account:${current.accountId}`, action: 'means.added', subject: `account:${current.accountId}`, outcome: 'success', details: { kind: 'sms', level: rules.level } });
        await notifyChange(app, tx, current.accountId, 'meansAdded', 'sms');
        return confirmed;
      });
      if (!phone) return smsConfirm(request, reply, current, [{ field: 'tan', message: 'sms.invalid' }]);
      app.mailer.flush();
      await raiseSession(app, request, reply, current, sms.amr, rules.level);
      return show(request, reply, pageContext(app, request, reply).t(rules.level >= 3 ? 'sms.added' : 'sms.addedLow', { phone: maskPhone(phone) }));
    });

    fastify.post('/account/means/rename', needsSecondFactor, async (request, reply) => {
      const form = readForm(request.body);
      app.csrf.verify(request, form._csrf);
      const current = await session(request);
      const { values, errors } = checkFields(form, [
        { name: 'means_id', max: 36 },
        { name: 'means_name', max: 60, required: true },
      ]);
      const field = `means_name-${values.means_id ?? ''}`;
      const name = (values.means_name ?? '').trim();
      if (errors.length > 0 || name === '' || hasControlCharacters(name)) return show(request, reply, '', [{ field, message: 'means.nameInvalid' }]);
      // Only a means of this account: the id comes from the form.
      const renamed = await renameMeans(app.db, { accountId: current.accountId, meansId: values.means_id ?? '', kinds: app.methods.kinds('second'), name });
      if (!renamed) throw new AppError('bad_request');
      return show(request, reply, pageContext(app, request, reply).t('means.renamed', { name }));
    });

    fastify.post('/account/means/remove', needsSecondFactor, async (request, reply) => {
      const form = readForm(request.body);
      app.csrf.verify(request, form._csrf);
      const current = await session(request);
      const { values } = checkFields(form, [
        { name: 'means_id', max: 36 },
        { name: 'means_password', max: 256 },
      ]);
      if (!(await enrolmentRules(app, current, 'totp')).allowed) return show(request, reply, '', [needsConfirmation]);
      if (!(await confirmsIdentity(app, current, values.means_password))) {
        return show(request, reply, '', [reauthError(await reauthState(app, current), `means_password-${values.means_id ?? ''}`)]);
      }
      const kind = await app.db.transaction(async (tx) => {
        const removed = (await removeMeans(tx, { accountId: current.accountId, meansId: values.means_id ?? '', kinds: app.methods.kinds('second') })) as SecondFactorKind | undefined;
        // Recovery codes stand in for the app; without it they have nothing to stand in for.
        if (removed && backupKindsOf(app, [removed]).length > 0) await app.methods.recovery.removeAll(tx, current.accountId);
        if (removed) {
          await app.audit.record(tx, { actor: `account:${current.accountId}`, action: 'means.removed', subject: `account:${current.accountId}`, outcome: 'success', details: { kind: removed } });
          await notifyChange(app, tx, current.accountId, 'meansRemoved', removed);
        }
        return removed;
      });
      if (!kind) throw new AppError('bad_request');
      app.mailer.flush();
      await lowerIfNoneLeft(request, reply, current);
      return show(request, reply, pageContext(app, request, reply).t('means.removed'));
    });

    fastify.post('/account/means/block', needsSecondFactor, async (request, reply) => {
      const form = readForm(request.body);
      app.csrf.verify(request, form._csrf);
      const current = await session(request);
      const { values } = checkFields(form, [{ name: 'means_id', max: 36 }]);
      // Blocking needs the account's maximum like removing, but no password: it is for emergencies.
      if (!(await enrolmentRules(app, current, 'totp')).allowed) return show(request, reply, '', [needsConfirmation]);
      const blocked = await blockMeans(app, { accountId: current.accountId, meansIds: [values.means_id ?? ''], keepSessionId: current.id, byEmailLink: false });
      if (blocked === 0) throw new AppError('bad_request');
      await lowerIfNoneLeft(request, reply, current);
      return show(request, reply, pageContext(app, request, reply).t('means.blocked'));
    });
  };
}
