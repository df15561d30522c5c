import type { MethodChoice } from '../../methods/method.ts';
import type { FieldError } from '../../web/components.ts';
import { alert, button, csrfField, errorSummary, input } from '../../web/components.ts';
import { html, type SafeHtml } from '../../web/html.ts';
import type { PageContext } from '../../web/layout.ts';

/** A method's part of the password page (`AuthenticationMethod.passwordPageAddOn`: the passkey). */
export interface PasswordPageAddOn {
  autocomplete: string;
  html: SafeHtml;
}

export interface LoginContext {
  /** Base path of this login: /login, /interaction/<uid> or /saml/login/<uid>. */
  base: string;
  /** Inside a service's login: the citizen can cancel back to the service. */
  cancellable?: boolean;
  serviceName?: string | undefined;
  /** Where registration leads back to. */
  returnTo?: string | undefined;
  /** The guest login's hand-over, where the service offers it (oidc/guest-offer.ts, saml/login/guest-offer.ts). */
  guestHref?: string | undefined;
  /** Just after a confirmed registration: say the account is active (flows/registration/activated-notice.ts). */
  activated?: boolean;
}

function heading(p: PageContext, c: LoginContext): SafeHtml {
  return html`<h1 class="kern-heading-large">${c.serviceName ? p.t('login.forService', { service: c.serviceName }) : p.t('login.title')}</h1>
${c.activated ? alert('success', p.t('confirm.activated')) : ''}`;
}

function footer(p: PageContext, c: LoginContext): SafeHtml {
  const { t } = p;
  const registerHref = `/register${c.returnTo ? `?return=${encodeURIComponent(c.returnTo)}` : ''}`;
  return html`<section aria-labelledby="no-account">
<h2 class="kern-heading-small" id="no-account">${t('login.noAccount')}</h2>
<p class="kern-body"><a class="kern-link" href="${registerHref}">${t('login.register')}</a></p>
</section>
${c.cancellable ? html`<form method="post" action="${c.base}/abort" class="cancel-form">${csrfField(p.csrfToken)}${button(t('login.cancel'), 'tertiary')}</form>` : ''}`;
}

/** The choice of login method: the seed's second click. Each method adds its entry. */
export function methodChoicePage(p: PageContext, c: LoginContext, methods: readonly MethodChoice[]): SafeHtml {
  const { t } = p;
  // The stand-alone login's `return` (a section of "Mein Konto") goes along to the method's form, which reads it.
  const query = c.returnTo && !c.cancellable ? `?return=${encodeURIComponent(c.returnTo)}` : '';
  return html`${heading(p, c)}
<h2 class="kern-heading-medium" id="methods">${t('login.methodsTitle')}</h2>
<p class="kern-body">${t('login.methodsIntro')}</p>
<ul class="method-list" aria-labelledby="methods">
${methods.map(
  (
    m,
  ) => html`<li class="kern-card kern-card--interactive"><div class="kern-card__container"><div class="kern-card__header">
<h3 class="kern-title"><a class="kern-link kern-link--stretched" href="${c.base}/${m.id}${query}">${t(m.choice.title)}</a></h3></div>
<div class="kern-card__body"><p class="kern-body">${t(m.choice.hint)}</p></div></div></li>`,
)}
</ul>
${
  c.guestHref
    ? html`<section aria-labelledby="guest">
<h2 class="kern-heading-small" id="guest">${t('guest.choice.heading')}</h2>
<p class="kern-body"><a class="kern-link" href="${c.guestHref}">${t('guest.choice.title')}</a></p>
<p class="kern-body">${t('guest.choice.hint')}</p>
</section>`
    : ''
}
${footer(p, c)}`;
}

/** The password form (the seed's third click: "Anmelden"). */
export function passwordPage(
  p: PageContext,
  c: LoginContext,
  o: { values?: Record<string, string>; errors?: FieldError[]; addOns?: readonly PasswordPageAddOn[] } = {},
): SafeHtml {
  const { t } = p;
  const errors = o.errors ?? [];
  const addOns = o.addOns ?? [];
  const autocomplete = ['username', ...addOns.map((a) => a.autocomplete)].join(' ');
  const unverified = errors.some((e) => e.message === 'login.unverified');
  return html`${heading(p, c)}
${errorSummary(t, errors)}
<h2 class="kern-heading-medium" id="method-password">${t('login.password.title')}</h2>
<form method="post" action="${c.base}/password" class="form-stack" aria-labelledby="method-password" novalidate>
${csrfField(p.csrfToken)}
${c.returnTo && !c.cancellable ? html`<input type="hidden" name="return" value="${c.returnTo}">` : ''}
${input({ t, name: 'username', label: t('login.username'), autocomplete, value: o.values?.username ?? '', maxlength: 320, errors })}
${input({ t, name: 'password', label: t('login.password'), type: 'password', autocomplete: 'current-password', maxlength: 256, errors: errors.filter((e) => e.field === 'password') })}
<div class="actions">${button(t('login.submit'))}</div>
</form>
${unverified ? html`<p class="kern-body"><a class="kern-link" href="/register/sent">${t('login.resend')}</a></p>` : ''}
<ul class="kern-list">
<li><a class="kern-link" href="/forgot-password">${t('login.forgotPassword')}</a></li>
<li><a class="kern-link" href="/forgot-username">${t('login.forgotUsername')}</a></li>
<li><a class="kern-link" href="${c.base}">${t('login.otherMethod')}</a></li>
</ul>
${addOns.map((a) => a.html)}
${footer(p, c)}`;
}
