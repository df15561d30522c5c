import type { MessageId, Translate } from '../text/index.ts';
import { html, type SafeHtml } from './html.ts';

/** A field's error: which field, and the message id with its parameters. */
export interface FieldError {
  field: string;
  message: MessageId;
  params?: Record<string, string | number>;
}

/**
 * Error summary at the top of a form, each entry linking to its field
 * (WCAG 3.3.1, GOV.UK error summary pattern). role="alert" announces it.
 */
export function errorSummary(t: Translate, errors: readonly FieldError[]): SafeHtml {
  if (errors.length === 0) return html``;
  return html`<div class="kern-alert kern-alert--danger error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1">
<div class="kern-alert__header"><span class="kern-icon kern-icon--danger" aria-hidden="true"></span><h2 class="kern-title" id="error-summary-title">${t('form.errorSummary')}</h2></div>
<div class="kern-alert__body"><ul class="kern-list">${errors.map((e) => html`<li><a class="kern-link" href="#${e.field}">${t(e.message, e.params)}</a></li>`)}</ul></div>
</div>`;
}

/** Whole class names, so that the stylesheet keeps exactly these icons (web/assets/used-classes.ts). */
const alertIcon = {
  info: 'kern-icon--info',
  success: 'kern-icon--success',
  warning: 'kern-icon--warning',
  danger: 'kern-icon--danger',
} as const;

export function alert(
  kind: 'info' | 'success' | 'warning' | 'danger',
  title: string,
  body?: SafeHtml | string,
): SafeHtml {
  const role = kind === 'danger' ? 'alert' : 'status';
  return html`<div class="kern-alert kern-alert--${kind}" role="${role}">
<div class="kern-alert__header"><span class="kern-icon ${alertIcon[kind]}" aria-hidden="true"></span><p class="kern-title">${title}</p></div>
${body === undefined ? '' : html`<div class="kern-alert__body"><p class="kern-body">${body}</p></div>`}
</div>`;
}

export interface InputOptions {
  name: string;
  /** Element id when several fields share a name on one page (default: the name). */
  id?: string;
  label: string;
  type?: 'text' | 'email' | 'password' | 'date' | 'tel';
  value?: string;
  autocomplete?: string;
  hint?: string;
  required?: boolean;
  maxlength?: number;
  errors?: readonly FieldError[];
  t: Translate;
}

/** A labelled input with hint and inline error tied by aria-describedby (WCAG 1.3.1, 3.3.2). */
export function input(o: InputOptions): SafeHtml {
  const id = o.id ?? o.name;
  const error = o.errors?.find((e) => e.field === id);
  const describedBy = [o.hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return html`<div class="kern-form-input">
<label class="kern-label" for="${id}">${o.label}${o.required === false ? html` <span class="kern-label__optional">${o.t('form.optional')}</span>` : ''}</label>
${o.hint ? html`<div class="kern-hint" id="${id}-hint">${o.hint}</div>` : ''}
${error ? html`<p class="kern-error" id="${id}-error"><span class="kern-icon kern-icon--danger" aria-hidden="true"></span><span class="kern-body">${o.t(error.message, error.params)}</span></p>` : ''}
<input class="kern-form-input__input${error ? ' kern-form-input__input--error' : ''}" id="${id}" name="${o.name}" type="${o.type ?? 'text'}" value="${o.value ?? ''}"${o.autocomplete ? html` autocomplete="${o.autocomplete}"` : ''}${o.required === false ? '' : html` required aria-required="true"`}${o.maxlength && o.type !== 'date' ? html` maxlength="${o.maxlength}"` : ''}${o.autocomplete === 'username' ? html` autocapitalize="none" spellcheck="false"` : ''}${o.autocomplete === 'one-time-code' ? html` inputmode="numeric"` : ''}${describedBy ? html` aria-describedby="${describedBy}"` : ''}${error ? html` aria-invalid="true"` : ''}${o.type === 'email' ? html` spellcheck="false"` : ''}>
</div>`;
}

export function csrfField(token: string): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${token}">`;
}

export function button(
  label: string,
  variant: 'primary' | 'secondary' | 'tertiary' = 'primary',
  attrs: SafeHtml = html``,
): SafeHtml {
  return html`<button class="kern-btn kern-btn--${variant}" type="submit" ${attrs}><span class="kern-label">${label}</span></button>`;
}
