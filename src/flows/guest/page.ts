/**
 * The consent page of a guest login: which data from the card go to which
 * service, with the values read, before anything is sent (design notes §6:
 * "the consent page is shown, nothing stored"). Agreeing posts the form
 * with the reading's transaction id and reference (`readingFields`);
 * declining is the login's own cancel.
 */
import type { EidTransaction } from '../../methods/eid/transaction-repository.ts';
import { button, csrfField } from '../../web/components.ts';
import { html, type SafeHtml } from '../../web/html.ts';
import type { PageContext } from '../../web/layout.ts';
import { readingFields } from '../../methods/eid/reading/binding.ts';
import type { GuestRow } from './release.ts';

export interface GuestConsent {
  /** The login's base: /interaction/<uid> or /saml/login/<uid>. */
  base: string;
  serviceName: string;
  operator: string | undefined;
  rows: GuestRow[];
  transaction: EidTransaction;
  ref: string;
}

export function guestConsentPage(p: PageContext, o: GuestConsent): SafeHtml {
  const { t } = p;
  const rows = o.rows.map(
    (row) =>
      html`<div class="kern-description-list-item"><dt class="kern-description-list-item__key">${t(row.label)}</dt><dd class="kern-description-list-item__value">${row.value ?? t('guest.consent.notOnCard')}</dd></div>`,
  );
  return html`<p class="kern-preline">${t('guest.choice.title')}</p>
<h1 class="kern-heading-large">${t('consent.title')}</h1>
${
  o.rows.length > 0
    ? html`<p class="kern-body kern-body--large">${t('guest.consent.intro', { service: o.serviceName })}</p>
${o.operator ? html`<p class="kern-body">${t('consent.operator', { operator: o.operator })}</p>` : ''}
<dl class="kern-description-list">${rows}</dl>`
    : html`<p class="kern-body kern-body--large">${t('guest.consent.none')}</p>`
}
<p class="kern-body">${t('guest.consent.note')}</p>
<div class="actions">
<form method="post" action="${o.base}/guest/consent">${csrfField(p.csrfToken)}${readingFields(o.transaction, o.ref)}${button(t('consent.allow'))}</form>
<form method="post" action="${o.base}/abort">${csrfField(p.csrfToken)}${button(t('consent.deny'), 'secondary')}</form>
</div>`;
}
