import { attributeNames, type AttributeName } from '../../identity/attributes.ts';
import type { CardIdentity } from '../../methods/eid/identity.ts';
import type { MessageId } from '../../text/index.ts';
import { alert, button, csrfField, errorSummary, input, type FieldError } from '../../web/components.ts';
import { html, type SafeHtml } from '../../web/html.ts';
import type { PageContext } from '../../web/layout.ts';
import { termsCheckbox, termsField } from './terms.ts';

/** With the eID available, registering with the card comes first: no password, and data at level hoch. */
function eidOffer(p: PageContext, returnTo: string | undefined): SafeHtml {
  const { t } = p;
  return html`<div class="stack" id="register-eid">
<p class="kern-body">${t('eidAccount.register.offerHint')}</p>
<p><a class="kern-btn kern-btn--secondary" href="/register/eid${returnTo ? `?return=${encodeURIComponent(returnTo)}` : ''}"><span class="kern-label">${t('eidAccount.register.offer')}</span></a></p>
</div>
<h2 class="kern-heading-medium">${t('eidAccount.register.orPassword')}</h2>`;
}

export function registrationPage(
  p: PageContext,
  o: { returnTo?: string; values?: Record<string, string>; errors?: FieldError[]; eid?: boolean },
): SafeHtml {
  const { t } = p;
  const errors = o.errors ?? [];
  const v = o.values ?? {};
  return html`<h1 class="kern-heading-large">${t('register.title')}</h1>
<p class="kern-body">${t('register.intro')}</p>
${errorSummary(t, errors)}
${o.eid ? eidOffer(p, o.returnTo) : ''}
<form method="post" action="/register" class="form-stack" novalidate>
${csrfField(p.csrfToken)}
${o.returnTo ? html`<input type="hidden" name="return" value="${o.returnTo}">` : ''}
${input({ t, name: 'username', label: t('register.username'), hint: t('register.usernameHint'), autocomplete: 'username', value: v.username ?? '', maxlength: 64, errors })}
${input({ t, name: 'email', label: t('register.email'), type: 'email', autocomplete: 'email', value: v.email ?? '', maxlength: 254, errors })}
${input({ t, name: 'password', label: t('register.password'), hint: t('register.passwordHint'), type: 'password', autocomplete: 'new-password', maxlength: 256, errors })}
${input({ t, name: 'password2', label: t('register.passwordRepeat'), type: 'password', autocomplete: 'new-password', maxlength: 256, errors })}
${termsCheckbox(p, errors, v[termsField] === 'yes')}
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

/**
 * The page behind the mailed link: opening it changes nothing (a mail
 * scanner's prefetch must not use the link up), the button confirms. The
 * form carries the link's token, which is its CSRF proof: only the
 * mailbox knows it, and it works in a browser that never saw this site
 * (confirmation-routes.ts).
 */
export function confirmPage(p: PageContext, o: { token: string; username: string }): SafeHtml {
  const { t } = p;
  return html`<h1 class="kern-heading-large">${t('confirm.title')}</h1>
<p class="kern-body">${t('confirm.intro', { username: o.username })}</p>
<form method="post" action="/verify-email" class="form-stack">
<input type="hidden" name="token" value="${o.token}">
<div class="actions">${button(t('confirm.button'))}</div>
</form>`;
}

/** The link opened again after the confirmation: no error, the way in. */
export function alreadyActivePage(p: PageContext, next: string): SafeHtml {
  const { t } = p;
  return html`<h1 class="kern-heading-large">${t('confirm.activeTitle')}</h1>
${alert('success', t('confirm.active'))}
<p class="kern-body"><a class="kern-btn kern-btn--primary" href="${next}"><span class="kern-label">${t('confirm.login')}</span></a></p>`;
}

/** The data read from the card, as they will be stored (the citizen sees what is kept about them). */
export function cardDataList(p: PageContext, card: CardIdentity): SafeHtml {
  const { t } = p;
  const shown = attributeNames.filter((name): name is AttributeName => card.values[name] !== undefined);
  const item = (key: string, value: string) =>
    html`<div class="kern-description-list-item"><dt class="kern-description-list-item__key">${key}</dt><dd class="kern-description-list-item__value">${value}</dd></div>`;
  return html`<dl class="kern-description-list" aria-labelledby="card-data">
${item(t('eid.op.DocumentType'), t(`eidAccount.document.${card.document}`))}
${shown.map((name) => item(t(`attr.${name}` as MessageId), card.values[name] ?? ''))}
</dl>`;
}

/** After a reading of a card no account has yet: e-mail (required) and username (optional). */
export function eidRegistrationPage(
  p: PageContext,
  o: { card: CardIdentity; hidden: SafeHtml; values?: Record<string, string>; errors?: FieldError[] },
): SafeHtml {
  const { t } = p;
  const errors = o.errors ?? [];
  const v = o.values ?? {};
  return html`<h1 class="kern-heading-large">${t('eidAccount.register.title')}</h1>
${errorSummary(t, errors)}
<h2 class="kern-heading-medium" id="card-data">${t('eidAccount.register.dataTitle')}</h2>
<p class="kern-body">${t('eidAccount.register.intro')}</p>
${cardDataList(p, o.card)}
<h2 class="kern-heading-medium">${t('eidAccount.register.formTitle')}</h2>
<form method="post" action="/register/eid/complete" class="form-stack" novalidate>
${csrfField(p.csrfToken)}
${o.hidden}
${input({ t, name: 'email', label: t('register.email'), hint: t('eidAccount.register.emailHint'), type: 'email', autocomplete: 'email', value: v.email ?? '', maxlength: 254, errors })}
${input({ t, name: 'username', label: t('register.username'), hint: t('eidAccount.register.usernameHint'), autocomplete: 'username', value: v.username ?? '', maxlength: 64, required: false, errors })}
${termsCheckbox(p, errors, v[termsField] === 'yes')}
<div class="actions">${button(t('eidAccount.register.submit'))}</div>
</form>
<p class="kern-body"><a class="kern-link" href="/register">${t('form.cancel')}</a></p>`;
}

/** The card is linked already: one account per card. */
export function eidAccountExistsPage(p: PageContext, loginHref: string): SafeHtml {
  const { t } = p;
  return html`<h1 class="kern-heading-large">${t('eidAccount.exists.title')}</h1>
<p class="kern-body">${t('eidAccount.exists.text')}</p>
<p class="kern-body"><a class="kern-btn kern-btn--primary" href="${loginHref}"><span class="kern-label">${t('eidAccount.exists.login')}</span></a></p>`;
}
