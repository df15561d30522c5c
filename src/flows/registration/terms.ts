import type { FieldError } from '../../web/components.ts';
import { html, type SafeHtml } from '../../web/html.ts';
import type { PageContext } from '../../web/layout.ts';

/**
 * The version of the terms of use a registration accepts, stored with the
 * account (migration 0010). Raise it whenever the text at
 * /nutzungsbedingungen changes in substance, so what each citizen agreed to
 * stays known.
 */
export const termsVersion = '2026-12';

/** The form field of the checkbox. */
export const termsField = 'terms';

/** A registration form's acceptance: the checkbox must be ticked. */
export function checkTerms(form: Record<string, string | undefined>, errors: FieldError[]): void {
  if (form[termsField] !== 'yes') errors.push({ field: termsField, message: 'terms.missing' });
}

/**
 * The required checkbox; its label links the terms in a new tab, said in the
 * link (WCAG technique G201), so what is typed in the form stays. The error
 * sits beside it and is tied by aria-describedby (WCAG 3.3.1, 1.3.1).
 */
export function termsCheckbox(p: PageContext, errors: readonly FieldError[], checked: boolean): SafeHtml {
  const { t } = p;
  const missing = errors.some((e) => e.field === termsField);
  return html`<div class="kern-form-check${missing ? ' kern-form-check--error' : ''}">
${missing ? html`<p class="kern-error" id="terms-error"><span class="kern-icon kern-icon--danger" aria-hidden="true"></span><span class="kern-body">${t('terms.missing')}</span></p>` : ''}
<input class="kern-form-check__checkbox" type="checkbox" id="${termsField}" name="${termsField}" value="yes"${checked ? html` checked` : ''} required aria-required="true"${missing ? html` aria-invalid="true" aria-describedby="terms-error"` : ''}>
<label class="kern-label" for="${termsField}">${t('terms.acceptBefore')} <a class="kern-link" href="/nutzungsbedingungen" target="_blank" rel="noopener">${t('terms.link')} ${t('terms.newTab')}</a>${t('terms.acceptAfter')}</label>
</div>`;
}
