/**
 * Exports `clientPage(p, o)` and `problemPage(p, o)`: the simulated eID
 * client's pages. Like the AusweisApp they show who asks (TransactionInfo),
 * what is read (REQUIRED listed, ALLOWED as ticked checkboxes that the
 * citizen may untick, TR-03130-1 §3.3.21), the card and the PIN. Every page
 * starts with a banner saying that this is a development stand-in.
 * Accessibility: the radio group and the checkboxes in fieldsets with a
 * legend (WCAG 1.3.1), the error summary first (3.3.1), German card labels
 * marked as German on the English page (3.1.2).
 */
import type { Operation } from '../../methods/eid/soap/operations.ts';
import type { MessageId } from '../../text/index.ts';
import { alert, button, csrfField, errorSummary, type FieldError } from '../../web/components.ts';
import { html, type SafeHtml } from '../../web/html.ts';
import type { PageContext } from '../../web/layout.ts';
import { testCardIds, testCards, testPin, type TestCardId } from '../eid-simulator/cards.ts';
import type { PaosDescribeAnswer } from '../eid-simulator/paos.ts';

export const clientPath = '/dev/eid-client/eID-Client';

const opLabel = (p: PageContext, op: Operation) => p.t(`eidClient.op.${op}` as MessageId);

function banner(p: PageContext): SafeHtml {
  return html`<div class="dev-banner">${alert('warning', p.t('eidClient.banner.title'), p.t('eidClient.banner.body'))}</div>`;
}

function fieldError(p: PageContext, errors: readonly FieldError[], field: string): SafeHtml {
  const error = errors.find((e) => e.field === field);
  return error
    ? html`<p class="kern-error" id="${field}-error"><span class="kern-icon kern-icon--danger" aria-hidden="true"></span><span class="kern-body">${p.t(error.message, error.params)}</span></p>`
    : html``;
}

function requested(p: PageContext, describe: PaosDescribeAnswer, deselected: ReadonlySet<Operation>): SafeHtml {
  return html`<h2 class="kern-heading-small">${p.t('eidClient.requested')}</h2>
${describe.required.length === 0 ? html`<p class="kern-body">${p.t('eidClient.requiredNone')}</p>` : html`<ul class="kern-list kern-list--bullet">${describe.required.map((op) => html`<li>${opLabel(p, op)}</li>`)}</ul>`}
${
  describe.allowed.length === 0
    ? ''
    : html`<fieldset class="kern-fieldset">
<legend class="kern-label">${p.t('eidClient.optional')}</legend>
<div class="kern-fieldset__body">${describe.allowed.map(
        (op) =>
          html`<div class="kern-form-check"><input class="kern-form-check__checkbox" type="checkbox" id="allow-${op}" name="allow_${op}" value="on"${deselected.has(op) ? '' : html` checked`}><label class="kern-label" for="allow-${op}">${opLabel(p, op)}</label></div>`,
      )}</div>
</fieldset>`
}`;
}

function cardChoice(p: PageContext, selected: TestCardId | undefined, errors: readonly FieldError[]): SafeHtml {
  const cards = testCards(new Date());
  const invalid = errors.some((e) => e.field === 'card');
  const lang = p.lang === 'de' ? html`` : html` lang="de"`;
  return html`<fieldset class="kern-fieldset${invalid ? ' kern-fieldset--error' : ''}" id="card"${invalid ? html` aria-describedby="card-error"` : ''}>
<legend class="kern-label">${p.t('eidClient.card')}</legend>
${fieldError(p, errors, 'card')}
<div class="kern-fieldset__body">${testCardIds.map(
    (id) =>
      html`<div class="kern-form-check"><input class="kern-form-check__radio" type="radio" id="card-${id}" name="card" value="${id}"${id === (selected ?? 'erika') ? html` checked` : ''}><label class="kern-label" for="card-${id}"${lang}>${cards[id].label}</label></div>`,
  )}</div>
</fieldset>`;
}

function pinField(p: PageContext, errors: readonly FieldError[]): SafeHtml {
  const invalid = errors.some((e) => e.field === 'pin');
  return html`<div class="kern-form-input">
<label class="kern-label" for="pin">${p.t('eidClient.pin')}</label>
<div class="kern-hint" id="pin-hint">${p.t('eidClient.pinHint', { pin: testPin })}</div>
${fieldError(p, errors, 'pin')}
<input class="kern-form-input__input${invalid ? ' kern-form-input__input--error' : ''}" id="pin" name="pin" type="password" inputmode="numeric" autocomplete="off" maxlength="6" required aria-required="true" aria-describedby="pin-hint${invalid ? ' pin-error' : ''}"${invalid ? html` aria-invalid="true"` : ''}>
</div>`;
}

export interface ClientPageOptions {
  id: string;
  describe: PaosDescribeAnswer;
  card?: TestCardId;
  deselected?: ReadonlySet<Operation>;
  errors?: FieldError[];
}

export function clientPage(p: PageContext, o: ClientPageOptions): SafeHtml {
  const errors = o.errors ?? [];
  return html`${banner(p)}
<h1 class="kern-heading-large">${p.t('eidClient.title')}</h1>
${errorSummary(p.t, errors)}
${o.describe.transactionInfo ? html`<p class="kern-body">${p.t('eidClient.service')}: <strong>${o.describe.transactionInfo}</strong></p>` : ''}
<form method="post" action="${clientPath}" class="form-stack" novalidate>
${csrfField(p.csrfToken)}
<input type="hidden" name="id" value="${o.id}">
${requested(p, o.describe, o.deselected ?? new Set())}
${cardChoice(p, o.card, errors)}
${pinField(p, errors)}
<div class="actions">${button(p.t('eidClient.submit'), 'primary', html`name="action" value="read"`)}${button(p.t('eidClient.cancel'), 'secondary', html`name="action" value="cancel" formnovalidate`)}</div>
</form>`;
}

/** Nothing to redirect to: no token, or none we may use. */
export function problemPage(p: PageContext, o: { message: MessageId; code?: string }): SafeHtml {
  return html`${banner(p)}
<h1 class="kern-heading-large">${p.t('eidClient.problem.title')}</h1>
${alert('danger', p.t(o.message))}
${o.code ? html`<p class="kern-body">${p.t('eidClient.problem.reason')}: <code>${o.code}</code></p>` : ''}`;
}
