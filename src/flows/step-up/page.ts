import { button, csrfField, errorSummary, input, type FieldError } from '../../web/components.ts';
import { html, type SafeHtml } from '../../web/html.ts';
import type { PageContext } from '../../web/layout.ts';

function codeField(p: PageContext, errors: FieldError[]): SafeHtml {
  return input({ t: p.t, name: 'code', label: p.t('totp.code'), hint: p.t('totp.codeHint'), autocomplete: 'one-time-code', maxlength: 6, errors });
}

/** The second factor of a step-up: only what is missing is asked (the password is not asked again). */
export function totpPage(p: PageContext, o: { base: string; serviceName: string; errors?: FieldError[] }): SafeHtml {
  const errors = o.errors ?? [];
  return html`<h1 class="kern-heading-large">${p.t('stepUp.title')}</h1>
${errorSummary(p.t, errors)}
<p class="kern-body">${p.t('stepUp.why', { service: o.serviceName })}</p>
<form method="post" action="${o.base}/totp" class="form-stack" novalidate>
${csrfField(p.csrfToken)}
${codeField(p, errors)}
<div class="actions">${button(p.t('totp.submit'))}</div>
</form>
<p class="kern-body"><a class="kern-link" href="${o.base}/recovery">${p.t('recovery.use')}</a></p>
${abortInteraction(p, o.base)}`;
}

/** The recovery codes, shown once after they were made. */
export function recoveryCodesPage(p: PageContext, codes: readonly string[], continueHref: string): SafeHtml {
  return html`<h1 class="kern-heading-large">${p.t('recovery.title')}</h1>
<p class="kern-body">${p.t('recovery.intro')}</p>
<ol class="kern-list kern-list--number recovery-codes">${codes.map((code) => html`<li><code>${code}</code></li>`)}</ol>
<p><a class="kern-btn kern-btn--primary" href="${continueHref}"><span class="kern-label">${p.t('recovery.continue')}</span></a></p>`;
}

/** A recovery code instead of the app, inside a step-up. */
export function recoveryCodePage(p: PageContext, o: { base: string; serviceName: string; errors?: FieldError[] }): SafeHtml {
  const errors = o.errors ?? [];
  return html`<h1 class="kern-heading-large">${p.t('stepUp.title')}</h1>
${errorSummary(p.t, errors)}
<p class="kern-body">${p.t('stepUp.why', { service: o.serviceName })}</p>
<form method="post" action="${o.base}/recovery" class="form-stack" novalidate>
${csrfField(p.csrfToken)}
${input({ t: p.t, name: 'recovery_code', label: p.t('recovery.code'), hint: p.t('recovery.codeHint'), autocomplete: 'off', maxlength: 20, errors })}
<div class="actions">${button(p.t('totp.submit'))}</div>
</form>
${abortInteraction(p, o.base)}`;
}

/** Enrolment of a software token, confirmed by its first code (TR-03160-1: confirmation with the new means). */
export function totpSetupPage(p: PageContext, o: { action: string; intro: string; cancel: SafeHtml; qrDataUrl: string; secret: string; errors?: FieldError[] }): SafeHtml {
  const errors = o.errors ?? [];
  const grouped = o.secret.replace(/(.{4})/g, '$1 ').trim();
  return html`<h1 class="kern-heading-large">${p.t('totp.setupTitle')}</h1>
${errorSummary(p.t, errors)}
<p class="kern-body">${o.intro}</p>
<ol class="kern-list kern-list--number">
<li><p class="kern-body">${p.t('totp.setupStep1')}</p><img class="qr" src="${o.qrDataUrl}" alt="${p.t('totp.qrAlt')}" width="200" height="200"></li>
<li><p class="kern-body">${p.t('totp.setupStep2')}</p><p class="kern-body"><code class="secret">${grouped}</code></p></li>
<li><p class="kern-body">${p.t('totp.setupStep3')}</p></li>
</ol>
<form method="post" action="${o.action}" class="form-stack" novalidate>
${csrfField(p.csrfToken)}
${codeField(p, errors)}
<div class="actions">${button(p.t('totp.submit'))}</div>
</form>
${o.cancel}`;
}

/** Cancelling an interaction goes back to the service (access_denied). */
export function abortInteraction(p: PageContext, base: string): SafeHtml {
  return html`<form method="post" action="${base}/abort">${csrfField(p.csrfToken)}${button(p.t('login.cancel'), 'tertiary')}</form>`;
}
