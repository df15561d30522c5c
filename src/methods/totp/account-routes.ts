import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { needsSecondFactor } from '../../flows/settings/guard.ts';
import { enrolmentRules } from '../../login/enrolment-rules.ts';
import { confirmTotpEnrolment, totpEnrolment } from './enrolment.ts';
import { recoveryCodesPage, totpSetupPage } from '../../flows/step-up/page.ts';
import { raiseSession } from '../../flows/step-up/raise.ts';
import { readForm } from '../../platform/http/forms.ts';
import { alert } from '../../web/components.ts';
import { html } from '../../web/html.ts';
import { pageContext, sendPage } from '../../web/page.ts';
import { needsConfirmation, type ShowAccount } from '../means-account.ts';
import { requiredSession } from '../../platform/http/route-options.ts';
import { sendUncompressed } from '../../platform/http/compression.ts';
import { sixDigitCode } from '../code-format.ts';
import type { MessageId } from '../../text/index.ts';

/**
 * Adding the authenticator app on "Mein Konto": a session at the account's
 * maximum may, and the new token confirms itself with its first code
 * (TR-03160-1); a session can never swap a confirmed token.
 */
export function totpAccountRoutes(app: AppContext, show: ShowAccount) {
  const { totp } = app.methods;

  const setupPage = async (request: FastifyRequest, reply: FastifyReply, accountId: string, error?: MessageId) => {
    const { secret, qrDataUrl, uri } = await totpEnrolment(app, accountId);
    // The pending key is shown again on every load: not compressed, so its length tells nothing (BREACH).
    sendUncompressed(reply);
    const p = pageContext(app, request, reply);
    const body = totpSetupPage(p, {
      action: '/account/totp/setup',
      intro: p.t('totp.setupIntroAccount'),
      cancel: html`<p class="kern-body"><a class="kern-link" href="/account/security">${p.t('form.cancel')}</a></p>`,
      secret,
      qrDataUrl,
      uri,
      ...(error ? { errors: [{ field: 'code', message: error }] } : {}),
    });
    return sendPage(reply, p, p.t('totp.setupTitle'), body, error ? 400 : 200);
  };

  return async function routes(fastify: FastifyInstance): Promise<void> {
    fastify.get('/account/totp/setup', needsSecondFactor, async (request, reply) => {
      const current = requiredSession(request);
      if (await totp.hasConfirmed(app.db, current.accountId)) return reply.redirect('/account/security', 303);
      if (!(await enrolmentRules(app, current, 'totp')).allowed) return show(request, reply, '', [needsConfirmation]);
      return setupPage(request, reply, current.accountId);
    });

    fastify.post('/account/totp/setup', needsSecondFactor, async (request, reply) => {
      const form = readForm(request.body);
      const current = requiredSession(request);
      if (await totp.hasConfirmed(app.db, current.accountId)) return reply.redirect('/account/security', 303);
      if (!(await enrolmentRules(app, current, 'totp')).allowed) return show(request, reply, '', [needsConfirmation]);
      const code = sixDigitCode(form.code ?? '');
      if (code === undefined) return setupPage(request, reply, current.accountId, 'code.format');
      const enrolled = await confirmTotpEnrolment(app, current, code);
      if (!enrolled) return setupPage(request, reply, current.accountId, 'totp.invalid');
      // The new means was just used: the session now has both factors.
      await raiseSession(app, request, reply, current, totp.amr, enrolled.level);
      const p = pageContext(app, request, reply);
      return sendPage(
        reply,
        p,
        p.t('recovery.title'),
        html`${alert('success', p.t('means.totpAdded'))}${recoveryCodesPage(p, enrolled.codes, '/account/security')}`,
      );
    });
  };
}
