import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext } from '../../context.ts';
import { perReauthentication } from '../../methods/password/throttle.ts';
import { readForm } from '../../platform/http/forms.ts';
import { pageContext, sendPage } from '../../web/page.ts';
import { raiseSession } from './raise.ts';
import { confirmTotpEnrolment, enrolmentRules, totpEnrolment } from './enrolment.ts';
import { usableFactors } from './factors.ts';
import { choicePage, recoveryCodePage, recoveryCodesPage, totpPage, totpSetupPage } from './page.ts';
import type { ScopeRequest, StepUpScope, StepUpState } from './scope.ts';

/**
 * The step-up pages of one scope (a service's login, or "Mein Konto"): the
 * choice of second factor, the software token (used, or set up first), and
 * recovery codes. SMS and WebAuthn have their own route files.
 */
export function stepUpRoutes(app: AppContext, scope: StepUpScope) {
  const totp = app.methods.totp;
  type Request = ScopeRequest;

  async function setupPage(request: Request, reply: FastifyReply, state: StepUpState, status = 200, invalid = false) {
    const { secret, qrDataUrl } = await totpEnrolment(app, state.session.accountId);
    const p = pageContext(app, request, reply);
    const body = totpSetupPage(p, { action: `${state.base}/totp/setup`, intro: state.serviceName ? p.t('totp.setupIntro', { service: state.serviceName }) : p.t('totp.setupIntroAccount'), cancel: state.cancel(p), secret, qrDataUrl, ...(invalid ? { errors: [{ field: 'code', message: 'totp.invalid' as const }] } : {}) });
    return sendPage(reply, p, p.t('totp.setupTitle'), body, status);
  }

  /** The other factors a page may point to, besides its own. */
  const others = async (state: StepUpState) => (await usableFactors(app, state.session.accountId, state.required)).length > 1;

  /** Throttled like a password check, per account: codes are short (TR-03107-1). */
  async function throttled<T>(accountId: string, check: () => Promise<T | undefined>): Promise<T | undefined> {
    const key = `totp:account:${accountId}`;
    await app.loginThrottle.attempt([{ key, policy: perReauthentication }]);
    const result = await check();
    if (result !== undefined) await app.loginThrottle.succeeded([key]);
    return result;
  }

  return async function routes(fastify: FastifyInstance): Promise<void> {
    const at = (path: string) => `${scope.prefix}${path}`;

    fastify.get<{ Params: { uid?: string } }>(at('/second-factor'), async (request, reply) => {
      const state = await scope.load(request, reply);
      const usable = await usableFactors(app, state.session.accountId, state.required);
      const phone = usable.includes('sms') ? (await app.methods.sms.registered(app.db, state.session.accountId))?.phone : undefined;
      const p = pageContext(app, request, reply);
      return sendPage(reply, p, p.t('stepUp.title'), choicePage(p, { state, usable, phone, recovery: usable.includes('totp') }));
    });

    fastify.get<{ Params: { uid?: string } }>(at('/totp'), async (request, reply) => {
      const state = await scope.load(request, reply);
      if (!(await totp.hasConfirmed(app.db, state.session.accountId))) return reply.redirect(`${state.base}/totp/setup`, 303);
      const p = pageContext(app, request, reply);
      return sendPage(reply, p, p.t('stepUp.title'), totpPage(p, { state, others: await others(state) }));
    });

    fastify.post<{ Params: { uid?: string } }>(at('/totp'), async (request, reply) => {
      const form = readForm(request.body);
      app.csrf.verify(request, form._csrf);
      const state = await scope.load(request, reply);
      const { session } = state;
      const level = await throttled(session.accountId, () => app.db.transaction((tx) => totp.check(tx, session.accountId, (form.code ?? '').trim())));
      if (level === undefined) {
        const p = pageContext(app, request, reply);
        return sendPage(reply, p, p.t('stepUp.title'), totpPage(p, { state, others: await others(state), errors: [{ field: 'code', message: 'totp.invalid' }] }), 400);
      }
      return state.done(await raiseSession(app, request, reply, session, totp.amr, level));
    });

    fastify.get<{ Params: { uid?: string } }>(at('/recovery'), async (request, reply) => {
      const state = await scope.load(request, reply);
      const p = pageContext(app, request, reply);
      return sendPage(reply, p, p.t('stepUp.title'), recoveryCodePage(p, { state }));
    });

    fastify.post<{ Params: { uid?: string } }>(at('/recovery'), async (request, reply) => {
      const form = readForm(request.body);
      app.csrf.verify(request, form._csrf);
      const state = await scope.load(request, reply);
      const { session } = state;
      const level = await throttled(session.accountId, () =>
        app.db.transaction(async (tx) => {
          const used = await app.methods.recovery.use(tx, session.accountId, form.recovery_code ?? '');
          if (used !== undefined) await app.audit.record(tx, { actor: `account:${session.accountId}`, action: 'means.recovery_code_used', subject: `account:${session.accountId}`, outcome: 'success' });
          return used;
        }),
      );
      if (level === undefined) {
        const p = pageContext(app, request, reply);
        return sendPage(reply, p, p.t('stepUp.title'), recoveryCodePage(p, { state, errors: [{ field: 'recovery_code', message: 'recovery.invalid' }] }), 400);
      }
      // A recovery code is a one-time password standing in for the app (RFC 8176 `otp`).
      return state.done(await raiseSession(app, request, reply, session, totp.amr, level));
    });

    // After the codes were shown: on to where the citizen was going.
    fastify.get<{ Params: { uid?: string } }>(at('/continue'), async (request, reply) => {
      const state = await scope.load(request, reply);
      return state.done(state.session);
    });

    fastify.get<{ Params: { uid?: string } }>(at('/totp/setup'), async (request, reply) => {
      const state = await scope.load(request, reply);
      // A session must never replace a confirmed token: that would let whoever holds it take the account over.
      if (await totp.hasConfirmed(app.db, state.session.accountId)) return reply.redirect(`${state.base}/totp`, 303);
      if (!(await enrolmentRules(app, state.session, 'totp')).allowed) return reply.redirect(`${state.base}/second-factor`, 303);
      return setupPage(request, reply, state);
    });

    fastify.post<{ Params: { uid?: string } }>(at('/totp/setup'), async (request, reply) => {
      const form = readForm(request.body);
      app.csrf.verify(request, form._csrf);
      const state = await scope.load(request, reply);
      if (await totp.hasConfirmed(app.db, state.session.accountId)) return reply.redirect(`${state.base}/totp`, 303);
      if (!(await enrolmentRules(app, state.session, 'totp')).allowed) return reply.redirect(`${state.base}/second-factor`, 303);
      const enrolled = await confirmTotpEnrolment(app, state.session, form.code ?? '');
      if (!enrolled) return setupPage(request, reply, state, 400, true);
      await raiseSession(app, request, reply, state.session, totp.amr, enrolled.level);
      const p = pageContext(app, request, reply);
      return sendPage(reply, p, p.t('recovery.title'), recoveryCodesPage(p, enrolled.codes, `${state.base}/continue`));
    });
  };
}
