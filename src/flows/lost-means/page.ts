import { alert, button, csrfField, errorSummary, input, type FieldError } from '../../web/components.ts';
import { html, type SafeHtml } from '../../web/html.ts';
import type { PageContext } from '../../web/layout.ts';
import { eidRecoveryLink } from '../recovery/page.ts';
import type { Means } from '../settings/means.ts';

/** Asks for the account whose lost means should be blocked; the answer never says whether it exists. */
export function lostRequestPage(
  p: PageContext,
  o: { value?: string; errors?: FieldError[]; sent?: boolean; eid?: boolean },
): SafeHtml {
  const errors = o.errors ?? [];
  return html`<h1 class="kern-heading-large">${p.t('lost.title')}</h1>
${o.sent ? alert('success', p.t('lost.sent')) : ''}
${errorSummary(p.t, errors)}
<p class="kern-body">${p.t('lost.intro')}</p>
<form method="post" action="/means/lost" class="form-stack" novalidate>
${csrfField(p.csrfToken)}
${input({ t: p.t, name: 'identifier', label: p.t('lost.identifier'), autocomplete: 'username', value: o.value ?? '', maxlength: 320, errors })}
<div class="actions">${button(p.t('lost.submit'))}</div>
</form>
${o.eid !== false ? eidRecoveryLink(p) : ''}`;
}

/** The account's second factors, to tick the lost ones. */
export function lostChoosePage(p: PageContext, o: { token: string; means: Means[]; errors?: FieldError[] }): SafeHtml {
  const errors = o.errors ?? [];
  const label = (m: Means) => [m.name, m.detail, p.t(m.title)].filter(Boolean).join(' · ');
  return html`<h1 class="kern-heading-large">${p.t('lost.chooseTitle')}</h1>
${errorSummary(p.t, errors)}
<p class="kern-body">${p.t('lost.chooseIntro')}</p>
${
  o.means.length === 0
    ? html`<p class="kern-body">${p.t('lost.none')}</p>`
    : html`<form method="post" action="/means/block" class="form-stack" novalidate>
${csrfField(p.csrfToken)}
<input type="hidden" name="token" value="${o.token}">
<fieldset class="kern-fieldset" id="means"${errors.length > 0 ? html` aria-describedby="means-error"` : ''}>
<legend class="kern-label">${p.t('lost.chooseTitle')}</legend>
${errors.length > 0 ? html`<p class="kern-error" id="means-error"><span class="kern-icon kern-icon--danger" aria-hidden="true"></span><span class="kern-body">${p.t('lost.nothingChosen')}</span></p>` : ''}
<div class="kern-fieldset__body">${o.means.map(
        (m) =>
          html`<div class="kern-form-check"><input class="kern-form-check__input" type="checkbox" id="block-${m.id}" name="block_${m.id}" value="on"><label class="kern-label" for="block-${m.id}">${label(m)}</label></div>`,
      )}</div>
</fieldset>
<div class="actions">${button(p.t('lost.block'))}</div>
</form>`
}`;
}
