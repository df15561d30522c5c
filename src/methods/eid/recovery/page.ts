/**
 * The pages of the recovery by eID after the card was read: the new
 * password with the choice to block every second factor, the question for
 * the account when the card is not linked, and the refusal. Each form
 * carries the reading's transaction id and RefreshAddress reference
 * (`readingFields`), so it counts only in the browser that read the card.
 */
import type { EidTransaction } from '../transaction-repository.ts';
import { alert, button, csrfField, errorSummary, input, type FieldError } from '../../../web/components.ts';
import { html, type SafeHtml } from '../../../web/html.ts';
import type { PageContext } from '../../../web/layout.ts';
import { readingFields } from '../reading/binding.ts';

export interface BoundForm {
  transaction: EidTransaction;
  ref: string;
}

/** TR-03160-1: a new password, and optionally every second factor blocked, after the card proved who is there. */
export function newPasswordPage(
  p: PageContext,
  o: BoundForm & { username: string; identifier?: string | undefined; block?: boolean; errors?: FieldError[] },
): SafeHtml {
  const { t } = p;
  const errors = o.errors ?? [];
  return html`<h1 class="kern-heading-large">${t('recoverEid.title')}</h1>
${errorSummary(t, errors)}
<p class="kern-body">${t('recoverEid.formIntro', { username: o.username })}</p>
<form method="post" action="/recover/eid/complete" class="form-stack" novalidate>
${csrfField(p.csrfToken)}
${readingFields(o.transaction, o.ref)}
${o.identifier ? html`<input type="hidden" name="identifier" value="${o.identifier}">` : ''}
<input type="text" name="username" value="${o.username}" autocomplete="username" hidden>
${input({ t, name: 'password', label: t('reset.password'), hint: t('register.passwordHint'), type: 'password', autocomplete: 'new-password', maxlength: 256, errors })}
${input({ t, name: 'password2', label: t('register.passwordRepeat'), type: 'password', autocomplete: 'new-password', maxlength: 256, errors })}
<div class="kern-form-check">
<input class="kern-form-check__input" type="checkbox" id="block-factors" name="block_factors" value="on" aria-describedby="block-factors-hint"${o.block ? html` checked` : ''}>
<label class="kern-label" for="block-factors">${t('recoverEid.blockFactors')}</label>
<div class="kern-hint" id="block-factors-hint">${t('recoverEid.blockFactorsHint')}</div>
</div>
<div class="actions">${button(t('recoverEid.submit'))}</div>
</form>`;
}

/** The card belongs to no account: name it, and the data verified at hoch decide. */
export function identifyPage(p: PageContext, o: BoundForm & { value?: string; errors?: FieldError[] }): SafeHtml {
  const { t } = p;
  const errors = o.errors ?? [];
  return html`<h1 class="kern-heading-large">${t('recoverEid.noLink.title')}</h1>
${errorSummary(t, errors)}
<p class="kern-body">${t('recoverEid.noLink.text')}</p>
<form method="post" action="/recover/eid/identify" class="form-stack" novalidate>
${csrfField(p.csrfToken)}
${readingFields(o.transaction, o.ref)}
${input({ t, name: 'identifier', label: t('login.username'), autocomplete: 'username', value: o.value ?? '', maxlength: 320, errors })}
<div class="actions">${button(t('recoverEid.identify'))}</div>
</form>
<p class="kern-body"><a class="kern-link" href="/forgot-password">${t('recoverEid.viaEmail')}</a></p>`;
}

/** Neither a linked card nor matching data: the way by e-mail remains. */
export function mismatchPage(p: PageContext): SafeHtml {
  const { t } = p;
  return html`<h1 class="kern-heading-large">${t('recoverEid.title')}</h1>
${alert('danger', t('recoverEid.mismatch'))}
<p class="kern-body"><a class="kern-btn kern-btn--primary" href="/forgot-password"><span class="kern-label">${t('recoverEid.viaEmail')}</span></a></p>`;
}
