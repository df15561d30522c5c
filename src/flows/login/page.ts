import type { FieldError } from '../../web/components.ts';
import { button, csrfField, errorSummary, input } from '../../web/components.ts';
import { html, type SafeHtml } from '../../web/html.ts';
import type { PageContext } from '../../web/layout.ts';

export interface LoginPageOptions {
  /** The form's target: /login or /interaction/<uid>/login. */
  action: string;
  serviceName?: string;
  abortAction?: string;
  returnTo?: string;
  values?: Record<string, string>;
  errors?: FieldError[];
}

/**
 * The login page: the methods as choices (the seed's second click) and the
 * password form. Further methods (eID, wallet) add their entry to the list.
 */
export function loginPage(p: PageContext, o: LoginPageOptions): SafeHtml {
  const { t } = p;
  const errors = o.errors ?? [];
  const unverified = errors.some((e) => e.message === 'login.unverified');
  const registerHref = `/register${o.returnTo ? `?return=${encodeURIComponent(o.returnTo)}` : ''}`;
  return html`<h1 class="kern-heading-large">${o.serviceName ? t('login.forService', { service: o.serviceName }) : t('login.title')}</h1>
${errorSummary(t, errors)}
<section aria-labelledby="method-password">
<h2 class="kern-heading-medium" id="method-password">${t('login.password.title')}</h2>
<form method="post" action="${o.action}" class="form-stack" novalidate>
${csrfField(p.csrfToken)}
${o.returnTo ? html`<input type="hidden" name="return" value="${o.returnTo}">` : ''}
${input({ t, name: 'username', label: t('login.username'), autocomplete: 'username', value: o.values?.username ?? '', maxlength: 320, errors })}
${input({ t, name: 'password', label: t('login.password'), type: 'password', autocomplete: 'current-password', maxlength: 256, errors: errors.filter((e) => e.field === 'password') })}
<div class="actions">${button(t('login.submit'))}</div>
</form>
${unverified ? html`<p class="kern-body"><a class="kern-link" href="/register/sent">${t('login.resend')}</a></p>` : ''}
<ul class="kern-list">
<li><a class="kern-link" href="/forgot-password">${t('login.forgotPassword')}</a></li>
<li><a class="kern-link" href="/forgot-username">${t('login.forgotUsername')}</a></li>
</ul>
</section>
<section aria-labelledby="no-account">
<h2 class="kern-heading-small" id="no-account">${t('login.noAccount')}</h2>
<p class="kern-body"><a class="kern-link" href="${registerHref}">${t('login.register')}</a></p>
</section>
${o.abortAction ? html`<form method="post" action="${o.abortAction}">${csrfField(p.csrfToken)}${button(t('login.cancel'), 'tertiary')}</form>` : ''}`;
}
