import { button, csrfField, errorSummary, input, type FieldError } from '../../web/components.ts';
import { html, type SafeHtml } from '../../web/html.ts';
import type { PageContext } from '../../web/layout.ts';
import type { Means } from '../../flows/settings/means.ts';
import { smsInfo } from './info.ts';

/** The TAN that confirms a new mobile number. */
export function smsConfirmPage(p: PageContext, o: { phone: string; resent: boolean; errors: FieldError[] }): SafeHtml {
  return html`<h1 class="kern-heading-large">${p.t('sms.confirmTitle')}</h1>
${errorSummary(p.t, o.errors)}
<p class="kern-body" role="status">${p.t(o.resent ? 'sms.resent' : 'sms.sent', { phone: o.phone })}</p>
<form method="post" action="/account/sms/confirm" class="form-stack" novalidate>
${csrfField(p.csrfToken)}
${input({ t: p.t, name: 'tan', label: p.t('sms.tan'), hint: p.t('sms.tanHint'), autocomplete: 'one-time-code', maxlength: 7, errors: o.errors })}
<div class="actions">${button(p.t('totp.submit'))}</div>
</form>
<form method="post" action="/account/sms/resend">${csrfField(p.csrfToken)}${button(p.t('sms.resend'), 'secondary')}</form>
<p class="kern-body"><a class="kern-link" href="/account/security#means-section">${p.t('form.cancel')}</a></p>`;
}

/** "Mein Konto": registering a mobile number, or changing it (one per account); only with a gateway. */
export function smsAddSection(
  p: PageContext,
  o: { means: readonly Means[]; available: boolean; errors: FieldError[] },
): SafeHtml {
  const { t } = p;
  if (!o.available) return html``;
  const has = o.means.some((m) => m.kind === smsInfo.id && m.blockedAt === null);
  return html`<h3 class="kern-heading-small">${t(has ? 'sms.change' : 'sms.add')}</h3>
<p class="kern-body">${t('sms.addIntro')}</p>
<form method="post" action="/account/sms" class="form-stack" novalidate>${csrfField(p.csrfToken)}
${input({ t, name: 'phone', label: t('sms.phone'), hint: t('sms.phoneHint'), type: 'tel', autocomplete: 'tel', maxlength: 40, errors: o.errors })}
<div class="actions">${button(t('sms.send'), 'secondary')}</div></form>`;
}
