import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext } from '../../context.ts';
import { perReauthentication } from '../../methods/password/throttle.ts';
import { readForm } from '../../platform/http/forms.ts';
import type { SsoSession } from '../../session/sso-session.ts';
import { pageContext, sendPage } from '../../web/page.ts';
import { raiseSession } from './raise.ts';
import { continueInteraction } from './continue.ts';
import { stepUpContext, type UidRequest } from './context.ts';
import { confirmTotpEnrolment, totpEnrolment } from './enrolment.ts';
import { abortInteraction, recoveryCodePage, recoveryCodesPage, totpPage, totpSetupPage } from './page.ts';


/** Step-up with a software token inside an interaction: use it, or set it up first. */
export function stepUpRoutes(app: AppContext) {
  const totp = app.methods.totp;

  const context = (request: UidRequest, reply: FastifyReply) => stepUpContext(app, request, reply);

  async function setupPage(request: UidRequest, reply: FastifyReply, serviceName: string, accountId: string, status = 200, invalid = false) {
    const { secret, qrDataUrl } = await totpEnrolment(app, accountId);
    const p = pageContext(app, request, reply);
    const base = `/interaction/${request.params.uid}`;
    const body = totpSetupPage(p, { action: `${base}/totp/setup`, intro: p.t('totp.setupIntro', { service: serviceName }), cancel: abortInteraction(p, base), secret, qrDataUrl, ...(invalid ? { errors: [{ field: 'code', message: 'totp.invalid' as const }] } : {}) });
    return sendPage(reply, p, p.t('totp.setupTitle'), body, status);
  }

  const raise = (request: UidRequest, reply: FastifyReply, session: SsoSession) => raiseSession(app, request, reply, session, totp.amr);

  return async function routes(fastify: FastifyInstance): Promise<void> {
    fastify.get<{ Params: { uid: string } }>('/interaction/:uid/totp', async (request, reply) => {
      const { session, serviceName } = await context(request, reply);
      if (!(await totp.hasConfirmed(app.db, session.accountId))) return reply.redirect(`/interaction/${request.params.uid}/totp/setup`, 303);
      const p = pageContext(app, request, reply);
      return sendPage(reply, p, p.t('stepUp.title'), totpPage(p, { base: `/interaction/${request.params.uid}`, serviceName }));
    });

    fastify.post<{ Params: { uid: string } }>('/interaction/:uid/totp', async (request, reply) => {
      const form = readForm(request.body);
      app.csrf.verify(request, form._csrf);
      const { details, session, serviceName } = await context(request, reply);
      const key = `totp:account:${session.accountId}`;
      await app.loginThrottle.attempt([{ key, policy: perReauthentication }]);
      const valid = await app.db.transaction((tx) => totp.check(tx, session.accountId, (form.code ?? '').trim()));
      if (!valid) {
        const p = pageContext(app, request, reply);
        return sendPage(reply, p, p.t('stepUp.title'), totpPage(p, { base: `/interaction/${request.params.uid}`, serviceName, errors: [{ field: 'code', message: 'totp.invalid' }] }), 400);
      }
      await app.loginThrottle.succeeded([key]);
      return continueInteraction(app, request, reply, details, await raise(request, reply, session));
    });

    fastify.get<{ Params: { uid: string } }>('/interaction/:uid/recovery', async (request, reply) => {
      const { serviceName } = await context(request, reply);
      const p = pageContext(app, request, reply);
      return sendPage(reply, p, p.t('stepUp.title'), recoveryCodePage(p, { base: `/interaction/${request.params.uid}`, serviceName }));
    });

    fastify.post<{ Params: { uid: string } }>('/interaction/:uid/recovery', async (request, reply) => {
      const form = readForm(request.body);
      app.csrf.verify(request, form._csrf);
      const { details, session, serviceName } = await context(request, reply);
      const key = `totp:account:${session.accountId}`;
      await app.loginThrottle.attempt([{ key, policy: perReauthentication }]);
      const used = await app.db.transaction(async (tx) => {
        const ok = await app.methods.recovery.use(tx, session.accountId, form.recovery_code ?? '');
        if (ok) await app.audit.record(tx, { actor: `account:${session.accountId}`, action: 'means.recovery_code_used', subject: `account:${session.accountId}`, outcome: 'success' });
        return ok;
      });
      if (!used) {
        const p = pageContext(app, request, reply);
        return sendPage(reply, p, p.t('stepUp.title'), recoveryCodePage(p, { base: `/interaction/${request.params.uid}`, serviceName, errors: [{ field: 'recovery_code', message: 'recovery.invalid' }] }), 400);
      }
      await app.loginThrottle.succeeded([key]);
      return continueInteraction(app, request, reply, details, await raise(request, reply, session));
    });

    // After the codes were shown: on with the login.
    fastify.get<{ Params: { uid: string } }>('/interaction/:uid/continue', async (request, reply) => {
      const { details, session } = await context(request, reply);
      return continueInteraction(app, request, reply, details, session);
    });

    fastify.get<{ Params: { uid: string } }>('/interaction/:uid/totp/setup', async (request, reply) => {
      const { session, serviceName } = await context(request, reply);
      // A session must never replace a confirmed token: that would let whoever holds it take the account over.
      if (await totp.hasConfirmed(app.db, session.accountId)) return reply.redirect(`/interaction/${request.params.uid}/totp`, 303);
      return setupPage(request, reply, serviceName, session.accountId);
    });

    fastify.post<{ Params: { uid: string } }>('/interaction/:uid/totp/setup', async (request, reply) => {
      const form = readForm(request.body);
      app.csrf.verify(request, form._csrf);
      const { session, serviceName } = await context(request, reply);
      if (await totp.hasConfirmed(app.db, session.accountId)) return reply.redirect(`/interaction/${request.params.uid}/totp`, 303);
      const codes = await confirmTotpEnrolment(app, session.accountId, form.code ?? '');
      if (!codes) return setupPage(request, reply, serviceName, session.accountId, 400, true);
      await raise(request, reply, session);
      const p = pageContext(app, request, reply);
      return sendPage(reply, p, p.t('recovery.title'), recoveryCodesPage(p, codes, `/interaction/${request.params.uid}/continue`));
    });
  };
}
