import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext } from '../../context.ts';
import { confirmTotpEnrolment, totpEnrolment } from './enrolment.ts';
import { enrolmentRules } from '../../login/enrolment-rules.ts';
import { usableFactors } from '../../login/factors.ts';
import { recoveryCodesPage, totpPage, totpSetupPage } from '../../flows/step-up/page.ts';
import { raiseSession } from '../../flows/step-up/raise.ts';
import type { LoginPageRequest } from '../../login/front-door.ts';
import type { LoginPageScope, LoginPageState } from '../../login/page-scope.ts';
import { readForm } from '../../platform/http/forms.ts';
import { pageContext, sendPage } from '../../web/page.ts';
import { throttledCode } from '../code-throttle.ts';
import { sixDigitCode } from '../code-format.ts';
import type { MessageId } from '../../text/index.ts';
import { sendUncompressed } from '../../platform/http/compression.ts';

/**
 * Step-up with the software token, in one scope (a service's login, or
 * "Mein Konto"): its code, or its enrolment first when the account has
 * none and may add one (TR-03160-1: confirmed by its first code).
 */
export function totpStepUpRoutes(app: AppContext, scope: LoginPageScope) {
  const totp = app.methods.totp;

  async function setupPage(
    request: LoginPageRequest,
    reply: FastifyReply,
    state: LoginPageState,
    status = 200,
    error?: MessageId,
  ) {
    const { secret, qrDataUrl, uri } = await totpEnrolment(app, state.session.accountId);
    // The pending key is shown again on every load: not compressed, so its length tells nothing (BREACH).
    sendUncompressed(reply);
    const p = pageContext(app, request, reply);
    const intro = state.serviceName
      ? p.t('totp.setupIntro', { service: state.serviceName })
      : p.t('totp.setupIntroAccount');
    const errors = error ? { errors: [{ field: 'code', message: error }] } : {};
    const body = totpSetupPage(p, {
      action: `${state.base}/totp/setup`,
      intro,
      cancel: state.cancel(p),
      secret,
      qrDataUrl,
      uri,
      ...errors,
    });
    return sendPage(reply, p, p.t('totp.setupTitle'), body, status);
  }

  /** The other factors a page may point to, besides its own. */
  const others = async (state: LoginPageState) =>
    (await usableFactors(app, state.session.accountId, state.required)).length > 1;

  return async function routes(fastify: FastifyInstance): Promise<void> {
    const at = (path: string) => `${scope.prefix}${path}`;

    fastify.get<{ Params: { uid?: string } }>(at('/totp'), async (request, reply) => {
      const state = await scope.load(request, reply);
      if (!(await totp.hasConfirmed(app.db, state.session.accountId)))
        return reply.redirect(`${state.base}/totp/setup`, 303);
      const p = pageContext(app, request, reply);
      return sendPage(reply, p, p.t('stepUp.title'), totpPage(p, { state, others: await others(state) }));
    });

    fastify.post<{ Params: { uid?: string } }>(at('/totp'), async (request, reply) => {
      const form = readForm(request.body);
      const state = await scope.load(request, reply);
      const { session } = state;
      // Not six digits: the format is named, and no guess is counted (methods/code-format.ts).
      const code = sixDigitCode(form.code ?? '');
      const level =
        code === undefined
          ? undefined
          : await throttledCode(app, session.accountId, () =>
              app.db.transaction((tx) => totp.check(tx, session.accountId, code)),
            );
      if (level === undefined) {
        const p = pageContext(app, request, reply);
        const body = totpPage(p, {
          state,
          others: await others(state),
          errors: [{ field: 'code', message: code === undefined ? 'code.format' : 'totp.invalid' }],
        });
        return sendPage(reply, p, p.t('stepUp.title'), body, 400);
      }
      return state.done(await raiseSession(app, request, reply, session, totp.amr, level));
    });

    fastify.get<{ Params: { uid?: string } }>(at('/totp/setup'), async (request, reply) => {
      const state = await scope.load(request, reply);
      // A session must never replace a confirmed token: that would let whoever holds it take the account over.
      if (await totp.hasConfirmed(app.db, state.session.accountId)) return reply.redirect(`${state.base}/totp`, 303);
      if (!(await enrolmentRules(app, state.session, 'totp')).allowed)
        return reply.redirect(`${state.base}/second-factor`, 303);
      return setupPage(request, reply, state);
    });

    fastify.post<{ Params: { uid?: string } }>(at('/totp/setup'), async (request, reply) => {
      const form = readForm(request.body);
      const state = await scope.load(request, reply);
      if (await totp.hasConfirmed(app.db, state.session.accountId)) return reply.redirect(`${state.base}/totp`, 303);
      if (!(await enrolmentRules(app, state.session, 'totp')).allowed)
        return reply.redirect(`${state.base}/second-factor`, 303);
      const code = sixDigitCode(form.code ?? '');
      if (code === undefined) return setupPage(request, reply, state, 400, 'code.format');
      const enrolled = await confirmTotpEnrolment(app, state.session, code);
      if (!enrolled) return setupPage(request, reply, state, 400, 'totp.invalid');
      await raiseSession(app, request, reply, state.session, totp.amr, enrolled.level);
      const p = pageContext(app, request, reply);
      return sendPage(reply, p, p.t('recovery.title'), recoveryCodesPage(p, enrolled.codes, `${state.base}/continue`));
    });
  };
}
