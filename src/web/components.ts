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
 * (WCAG 3.3.1, GOV.UK error summary pattern). role="alert" announces it, and
 * `autofocus` moves the focus to it when the page loads, without script, so
 * keyboard and screen-reader users start at the list of what to correct
 * (KERN and GOV.UK move focus to the summary).
 */
export function errorSummary(t: Translate, errors: readonly FieldError[]): SafeHtml {
  if (errors.length === 0) return html``;
  return html`<div class="kern-alert kern-alert--danger error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1" autofocus>
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

export interface SelectOptions {
  name: string;
  label: string;
  value?: string;
  options: readonly { value: string; label: string }[];
  /** The first, empty choice ("Bitte wählen"): the field may stay empty. */
  emptyLabel: string;
  autocomplete?: string;
  errors?: readonly FieldError[];
  t: Translate;
}

/** A labelled select list (KERN select) with inline error, for values people choose rather than type (ISO codes). */
export function select(o: SelectOptions): SafeHtml {
  const error = o.errors?.find((e) => e.field === o.name);
  return html`<div class="kern-form-input">
<label class="kern-label" for="${o.name}">${o.label} <span class="kern-label__optional">${o.t('form.optional')}</span></label>
${error ? html`<p class="kern-error" id="${o.name}-error"><span class="kern-icon kern-icon--danger" aria-hidden="true"></span><span class="kern-body">${o.t(error.message, error.params)}</span></p>` : ''}
<div class="kern-form-input__select-wrapper"><select class="kern-form-input__select${error ? ' kern-form-input__select--error' : ''}" id="${o.name}" name="${o.name}"${o.autocomplete ? html` autocomplete="${o.autocomplete}"` : ''}${error ? html` aria-describedby="${o.name}-error" aria-invalid="true"` : ''}>
<option value="">${o.emptyLabel}</option>
${o.options.map((option) => html`<option value="${option.value}"${option.value === o.value ? ' selected' : ''}>${option.label}</option>`)}
</select></div>
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

/**
 * Background for those who want it, closed by default (KERN accordion, a
 * native <details>): legal references and technical terms stay out of the
 * citizen's way (issue 15 point 5) but remain one click away.
 */
export function moreInfo(t: Translate, body: SafeHtml | string): SafeHtml {
  return html`<details class="kern-accordion"><summary class="kern-accordion__header"><span class="kern-title">${t('more.title')}</span></summary><section class="kern-accordion__body"><p class="kern-body">${body}</p></section></details>`;
}
