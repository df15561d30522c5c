import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext } from '../../context.ts';
import { perReauthentication } from '../password/throttle.ts';
import { maskPhone } from './phone.ts';
import { sixDigitCode } from '../code-format.ts';
import { AppError } from '../../platform/http/errors.ts';
import { readForm, readQuery } from '../../platform/http/forms.ts';
import { button, csrfField, input, type FieldError } from '../../web/components.ts';
import { html } from '../../web/html.ts';
import type { PageContext } from '../../web/layout.ts';
import { pageContext, sendPage } from '../../web/page.ts';
import { usableFactors } from '../../login/factors.ts';
import { otherFactorsLink, stepUpHead } from '../../flows/step-up/page.ts';
import { raiseSession } from '../../flows/step-up/raise.ts';
import type { LoginPageRequest } from '../../login/front-door.ts';
import type { LoginPageScope, LoginPageState } from '../../login/page-scope.ts';

/** At most five SMS an hour per account: each costs money and can be used to annoy (OWASP: SMS pumping). */
export const smsPerHour = 5;

/** The send button, and once a TAN is on its way, the field for it. */
function smsPage(
  p: PageContext,
  o: {
    state: LoginPageState;
    phone: string;
    pending: boolean;
    /** A new TAN replaced a pending one: the page says the old one is void. */
    resent: boolean;
    others: boolean;
    errors?: FieldError[];
  },
) {
  const errors = o.errors ?? [];
  const masked = maskPhone(o.phone);
  const sendForm = html`<form method="post" action="${o.state.base}/sms/send">${csrfField(p.csrfToken)}${button(p.t(o.pending ? 'sms.resend' : 'sms.send'), o.pending ? 'secondary' : 'primary')}</form>`;
  return html`${stepUpHead(p, o.state, errors)}
${
  o.pending
    ? html`<p class="kern-body" role="status">${p.t(o.resent ? 'sms.resent' : 'sms.sent', { phone: masked })}</p>
<form method="post" action="${o.state.base}/sms" class="form-stack" novalidate>
${csrfField(p.csrfToken)}
${input({ t: p.t, name: 'tan', label: p.t('sms.tan'), hint: p.t('sms.tanHint'), autocomplete: 'one-time-code', maxlength: 7, errors })}
<div class="actions">${button(p.t('totp.submit'))}</div>
</form>
${sendForm}`
    : html`<p class="kern-body">${p.t('sms.willSend', { phone: masked })}</p>${sendForm}`
}
${otherFactorsLink(p, o.state, o.others)}
${o.state.cancel(p)}`;
}

/** Step-up with a TAN by SMS, in one scope (a service's login, or "Mein Konto"). */
export function smsStepUpRoutes(app: AppContext, scope: LoginPageScope) {
  const sms = app.methods.sms;

  async function show(
    request: LoginPageRequest,
    reply: FastifyReply,
    state: LoginPageState,
    errors: FieldError[] = [],
  ) {
    const resent = errors.length === 0 && readQuery(request.query).resent === '1';
    const registered = await sms.registered(app.db, state.session.accountId);
    if (!registered || !sms.available) throw new AppError('not_found');
    const pending = (await sms.pendingPhone(app.db, state.session.id, 'authenticate')) !== undefined;
    const others = (await usableFactors(app, state.session.accountId, state.required)).length > 1;
    const p = pageContext(app, request, reply);
    return sendPage(
      reply,
      p,
      p.t('stepUp.title'),
      smsPage(p, { state, phone: registered.phone, pending, resent: resent && pending, others, errors }),
      errors.length > 0 ? 400 : 200,
    );
  }

  return async function routes(fastify: FastifyInstance): Promise<void> {
    const at = (path: string) => `${scope.prefix}${path}`;

    fastify.get<{ Params: { uid?: string } }>(at('/sms'), async (request, reply) =>
      show(request, reply, await scope.load(request, reply)),
    );

    fastify.post<{ Params: { uid?: string } }>(at('/sms/send'), async (request, reply) => {
      const state = await scope.load(request, reply);
      const registered = await sms.registered(app.db, state.session.accountId);
      if (!registered || !sms.available) throw new AppError('not_found');
      await app.rateLimiter.hit(`sms:account:${state.session.accountId}`, smsPerHour, 3600);
      const resent = (await sms.pendingPhone(app.db, state.session.id, 'authenticate')) !== undefined;
      const sent = await sms.sendTan(app.db, {
        sessionId: state.session.id,
        purpose: 'authenticate',
        phone: registered.phone,
        lang: pageContext(app, request, reply).lang,
      });
      if (!sent) return show(request, reply, state, [{ field: 'tan', message: 'sms.failed' }]);
      // Post/redirect/get: reloading the page must not send another SMS. The new TAN replaced the
      // pending one (sms-repository.ts `saveChallenge`), and the page says so.
      return reply.redirect(`${state.base}/sms${resent ? '?resent=1' : ''}`, 303);
    });

    fastify.post<{ Params: { uid?: string } }>(at('/sms'), async (request, reply) => {
      const form = readForm(request.body);
      const state = await scope.load(request, reply);
      const { session } = state;
      // Not six digits: the format is named, and no try is used up (methods/code-format.ts).
      const tan = sixDigitCode(form.tan ?? '');
      if (tan === undefined) return show(request, reply, state, [{ field: 'tan', message: 'code.format' }]);
      const key = `sms:tan:${session.accountId}`;
      await app.loginThrottle.attempt([{ key, policy: perReauthentication }]);
      const level = await app.db.transaction(async (tx) => {
        const registered = await sms.registered(tx, session.accountId);
        const phone = await sms.checkTan(tx, session.id, 'authenticate', tan);
        // The TAN must have gone to the number registered now, not one replaced since.
        if (!registered || phone !== registered.phone) return undefined;
        await sms.markUsed(tx, registered.id);
        return registered.level;
      });
      if (level === undefined) return show(request, reply, state, [{ field: 'tan', message: 'sms.invalid' }]);
      await app.loginThrottle.succeeded([key]);
      return state.done(await raiseSession(app, request, reply, session, sms.amr, level));
    });
  };
}
