import { button, csrfField, errorSummary, input, type FieldError } from '../../web/components.ts';
import { html, type SafeHtml } from '../../web/html.ts';
import type { PageContext } from '../../web/layout.ts';
import type { LoginPageState } from '../../login/page-scope.ts';
import { keepCodesForms } from '../../methods/recovery-codes/keep-page.ts';

function codeField(p: PageContext, errors: FieldError[]): SafeHtml {
  return input({
    t: p.t,
    name: 'code',
    label: p.t('totp.code'),
    hint: p.t('totp.codeHint'),
    autocomplete: 'one-time-code',
    // Six digits and the space many apps show in the middle ("123 456"); methods/totp ignores the space.
    maxlength: 7,
    errors,
  });
}

/** The head every step-up page shares: title, errors, why. The password is not asked again. */
export function stepUpHead(p: PageContext, state: LoginPageState, errors: FieldError[] = []): SafeHtml {
  // A service that needs no more than niedrig asks for nothing: the account's own protection does (issue 13, point 2).
  const why =
    state.serviceName && state.required < 3 ? p.t('stepUp.whyProtected', { service: state.serviceName }) : state.why(p);
  return html`<h1 class="kern-heading-large">${p.t('stepUp.title')}</h1>
${errorSummary(p.t, errors)}
<p class="kern-body">${why}</p>`;
}

/** A link to the choice of second factors, when there is more than one. */
export function otherFactorsLink(p: PageContext, state: LoginPageState, others: boolean): SafeHtml {
  return html`${others ? html`<p class="kern-body"><a class="kern-link" href="${state.base}/second-factor">${p.t('stepUp.other')}</a></p>` : ''}
<p class="kern-body"><a class="kern-link" href="/means/lost">${p.t('means.lostLink')}</a></p>`;
}

/** One way on from the choice: a method's page and its link text. */
export interface FactorChoice {
  href: string;
  label: string;
}

/** Which second factor to use, when the account has several that reach the level. */
export function choicePage(p: PageContext, o: { state: LoginPageState; entries: readonly FactorChoice[] }): SafeHtml {
  const { state } = o;
  const entry = (e: FactorChoice) => html`<li><a class="kern-link" href="${e.href}">${e.label}</a></li>`;
  return html`${stepUpHead(p, state)}
<h2 class="kern-heading-small">${p.t('stepUp.choose')}</h2>
<ul class="kern-list">${o.entries.map(entry)}</ul>
${otherFactorsLink(p, state, false)}
${state.cancel(p)}`;
}

/** The software token's code. */
export function totpPage(
  p: PageContext,
  o: { state: LoginPageState; others: boolean; errors?: FieldError[] },
): SafeHtml {
  const errors = o.errors ?? [];
  return html`${stepUpHead(p, o.state, errors)}
<form method="post" action="${o.state.base}/totp" class="form-stack" novalidate>
${csrfField(p.csrfToken)}
${codeField(p, errors)}
<div class="actions">${button(p.t('totp.submit'))}</div>
</form>
<p class="kern-body"><a class="kern-link" href="${o.state.base}/recovery">${p.t('recovery.use')}</a></p>
${otherFactorsLink(p, o.state, o.others)}
${o.state.cancel(p)}`;
}

/** The recovery codes, shown once after they were made. */
export function recoveryCodesPage(p: PageContext, codes: readonly string[], continueHref: string): SafeHtml {
  return html`<h1 class="kern-heading-large">${p.t('recovery.title')}</h1>
<p class="kern-body">${p.t('recovery.intro')}</p>
<ol class="kern-list kern-list--number recovery-codes">${codes.map((code) => html`<li><code>${code}</code></li>`)}</ol>
${keepCodesForms(p, codes)}
<p><a class="kern-btn kern-btn--primary" href="${continueHref}"><span class="kern-label">${p.t('recovery.continue')}</span></a></p>`;
}

/** A recovery code instead of the app. */
export function recoveryCodePage(p: PageContext, o: { state: LoginPageState; errors?: FieldError[] }): SafeHtml {
  const errors = o.errors ?? [];
  return html`${stepUpHead(p, o.state, errors)}
<form method="post" action="${o.state.base}/recovery" class="form-stack" novalidate>
${csrfField(p.csrfToken)}
${input({ t: p.t, name: 'recovery_code', label: p.t('recovery.code'), hint: p.t('recovery.codeHint'), autocomplete: 'off', maxlength: 20, errors })}
<div class="actions">${button(p.t('totp.submit'))}</div>
</form>
${o.state.cancel(p)}`;
}

/** Enrolment of a software token, confirmed by its first code (TR-03160-1: confirmation with the new means). */
export function totpSetupPage(
  p: PageContext,
  o: {
    action: string;
    intro: string;
    cancel: SafeHtml;
    qrDataUrl: string;
    /** The key as an `otpauth://` URI: opens the app on the same device. */
    uri: string;
    secret: string;
    errors?: FieldError[];
  },
): SafeHtml {
  const errors = o.errors ?? [];
  const grouped = o.secret.replace(/(.{4})/g, '$1 ').trim();
  return html`<h1 class="kern-heading-large">${p.t('totp.setupTitle')}</h1>
${errorSummary(p.t, errors)}
<p class="kern-body">${o.intro}</p>
<ol class="kern-list kern-list--number">
<li><p class="kern-body">${p.t('totp.setupStep1')}</p><img class="qr" src="${o.qrDataUrl}" alt="${p.t('totp.qrAlt')}" width="200" height="200">
<p class="kern-body">${p.t('totp.sameDevice')} <a class="kern-link" href="${o.uri}">${p.t('totp.openInApp')}</a></p></li>
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
