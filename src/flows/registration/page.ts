import { alert, button, csrfField, errorSummary, input, type FieldError } from '../../web/components.ts';
import { html, type SafeHtml } from '../../web/html.ts';
import type { PageContext } from '../../web/layout.ts';

export function registrationPage(p: PageContext, o: { returnTo?: string; values?: Record<string, string>; errors?: FieldError[] }): SafeHtml {
  const { t } = p;
  const errors = o.errors ?? [];
  const v = o.values ?? {};
  return html`<h1 class="kern-heading-large">${t('register.title')}</h1>
<p class="kern-body">${t('register.intro')}</p>
${errorSummary(t, errors)}
<form method="post" action="/register" class="form-stack" novalidate>
${csrfField(p.csrfToken)}
${o.returnTo ? html`<input type="hidden" name="return" value="${o.returnTo}">` : ''}
${input({ t, name: 'username', label: t('register.username'), hint: t('register.usernameHint'), autocomplete: 'username', value: v.username ?? '', maxlength: 64, errors })}
${input({ t, name: 'email', label: t('register.email'), type: 'email', autocomplete: 'email', value: v.email ?? '', maxlength: 254, errors })}
${input({ t, name: 'password', label: t('register.password'), hint: t('register.passwordHint'), type: 'password', autocomplete: 'new-password', maxlength: 256, errors })}
${input({ t, name: 'password2', label: t('register.passwordRepeat'), type: 'password', autocomplete: 'new-password', maxlength: 256, errors })}
<div class="actions">${button(t('register.submit'))}</div>
</form>`;
}

export function sentPage(p: PageContext, o: { email?: string; resent?: boolean; errors?: FieldError[] }): SafeHtml {
  const { t } = p;
  return html`<h1 class="kern-heading-large">${t('register.sentTitle')}</h1>
${o.email ? alert('info', t('register.sent', { email: o.email })) : ''}
${o.resent ? alert('success', t('register.resent')) : ''}
${errorSummary(t, o.errors ?? [])}
<form method="post" action="/register/resend" class="form-stack" novalidate>
${csrfField(p.csrfToken)}
<p class="kern-body">${t('register.resendIntro')}</p>
${input({ t, name: 'email', label: t('register.email'), type: 'email', autocomplete: 'email', value: o.email ?? '', maxlength: 254, errors: o.errors ?? [] })}
<div class="actions">${button(t('login.resend'), 'secondary')}</div>
</form>`;
}

export function verifiedPage(p: PageContext, next: string): SafeHtml {
  const { t } = p;
  return html`<h1 class="kern-heading-large">${t('verify.doneTitle')}</h1>
${alert('success', t('verify.done'))}
<p class="kern-body"><a class="kern-link kern-btn kern-btn--primary" href="${next}"><span class="kern-label">${t('verify.continue')}</span></a></p>`;
}
