/**
 * Exports `comparePage` (the side-by-side page before data from the card
 * are stored) and the short pages around it: refused, done, and "confirm
 * your login first".
 *
 * The comparison is a real table with a caption and header cells (WCAG
 * 1.3.1); each row's status is a word, not a colour only (WCAG 1.4.1).
 * The table scrolls on its own on a narrow screen and can be reached by
 * keyboard to do so (WCAG 1.4.10, 2.1.1).
 */
import type { ComparisonRow } from '../identity.ts';
import type { MessageId } from '../../../text/index.ts';
import { alert, button, csrfField, errorSummary, type FieldError } from '../../../web/components.ts';
import { html, type SafeHtml } from '../../../web/html.ts';
import type { PageContext } from '../../../web/layout.ts';
import type { AccountPurpose } from './decide.ts';

const statusBadge: Record<ComparisonRow['status'], string> = {
  same: 'success',
  different: 'warning',
  new: 'info',
  kept: 'info',
};

function table(p: PageContext, rows: readonly ComparisonRow[]): SafeHtml {
  const { t } = p;
  const cell = (value: string | undefined) =>
    value === undefined ? html`<span class="kern-body--muted">${t('eidAccount.compare.empty')}</span>` : value;
  return html`<div class="kern-table-responsive" role="region" aria-labelledby="compare-caption" tabindex="0">
<table class="kern-table">
<caption class="kern-title" id="compare-caption">${t('eidAccount.compare.caption')}</caption>
<thead><tr class="kern-table__row">
<th scope="col" class="kern-table__header">${t('eidAccount.compare.attribute')}</th>
<th scope="col" class="kern-table__header">${t('eidAccount.compare.stored')}</th>
<th scope="col" class="kern-table__header">${t('eidAccount.compare.card')}</th>
<th scope="col" class="kern-table__header">${t('eidAccount.compare.status')}</th>
</tr></thead>
<tbody class="kern-table__body">
${rows.map(
  (r) => html`<tr class="kern-table__row">
<th scope="row" class="kern-table__header">${t(`attr.${r.name}` as MessageId)}</th>
<td class="kern-table__cell">${cell(r.stored)}</td>
<td class="kern-table__cell">${cell(r.card)}</td>
<td class="kern-table__cell"><span class="kern-badge kern-badge--${statusBadge[r.status]}">${t(`eidAccount.compare.${r.status}`)}</span></td>
</tr>`,
)}
</tbody>
</table>
</div>`;
}

export function comparePage(
  p: PageContext,
  o: {
    purpose: AccountPurpose;
    rows: readonly ComparisonRow[];
    hidden: SafeHtml;
    explicit: boolean;
    errors?: FieldError[];
  },
): SafeHtml {
  const { t } = p;
  const errors = o.errors ?? [];
  const missing = errors.some((e) => e.field === 'really');
  return html`<h1 class="kern-heading-large">${t('eidAccount.compare.title')}</h1>
${errorSummary(t, errors)}
<p class="kern-body">${t('eidAccount.compare.note')}</p>
${o.explicit ? alert('warning', t('eidAccount.compare.changedHolder')) : ''}
${table(p, o.rows)}
<form method="post" action="/account/eid/confirm" class="form-stack" novalidate>
${csrfField(p.csrfToken)}
${o.hidden}
${
  o.explicit
    ? html`<div class="kern-form-check${missing ? ' kern-form-check--error' : ''}">
${missing ? html`<p class="kern-error" id="really-error"><span class="kern-icon kern-icon--danger" aria-hidden="true"></span><span class="kern-body">${t('eidAccount.compare.reallyMissing')}</span></p>` : ''}
<input class="kern-form-check__checkbox" type="checkbox" id="really" name="really" value="yes" required aria-required="true"${missing ? html` aria-invalid="true" aria-describedby="really-error"` : ''}>
<label class="kern-label" for="really">${t('eidAccount.compare.really')}</label></div>`
    : ''
}
<div class="actions">${button(t(o.purpose === 'refresh' ? 'eidAccount.compare.confirmRefresh' : 'eidAccount.compare.confirmLink'))}</div>
</form>
<p class="kern-body"><a class="kern-link" href="/account/security">${t('eidAccount.compare.cancel')}</a></p>`;
}

/** Nothing was stored: why, and the way back. */
export function refusalPage(p: PageContext, title: MessageId, text: MessageId): SafeHtml {
  return html`<h1 class="kern-heading-large">${p.t(title)}</h1>
${alert('danger', p.t(text))}
<p class="kern-body"><a class="kern-link" href="/account/security">${p.t('eidAccount.back')}</a></p>`;
}

/** After the data were taken over: on to a service's login that waits (login/waiting-login.ts), or the account. */
export function donePage(p: PageContext, message: MessageId, waiting?: string): SafeHtml {
  // Whole class names: the page styles keep only the KERN classes the code names (web/assets/used-classes.ts).
  const toAccount = waiting
    ? html`<a class="kern-link" href="/account/security#eid-section">${p.t('eidAccount.toAccount')}</a>`
    : html`<a class="kern-btn kern-btn--primary" href="/account/security#eid-section"><span class="kern-label">${p.t('eidAccount.toAccount')}</span></a>`;
  return html`<h1 class="kern-heading-large">${p.t('eidAccount.doneTitle')}</h1>
${alert('success', p.t(message))}
${waiting ? html`<p class="kern-body"><a class="kern-btn kern-btn--primary" href="${waiting}"><span class="kern-label">${p.t('eidAccount.toWaitingLogin')}</span></a></p>` : ''}
<p class="kern-body">${toAccount}</p>`;
}

/** A change to the card links needs a session at the account's maximum (TR-03160-1), as for the means. */
/** An account with a live card: changing cards or card data needs a login with a linked card. */
export function eidFirstPage(p: PageContext): SafeHtml {
  return html`<h1 class="kern-heading-large">${p.t('eidAccount.confirm.title')}</h1>
${alert('info', p.t('eidAccount.eidFirst.text'))}
<p><a class="kern-btn kern-btn--primary" href="/login/eid"><span class="kern-label">${p.t('eidAccount.eidFirst.login')}</span></a></p>
<p class="kern-body">${p.t('eidAccount.eidFirst.lost')}</p>
<p class="kern-body"><a class="kern-link" href="/account/security">${p.t('eidAccount.back')}</a></p>`;
}

export function confirmFirstPage(p: PageContext): SafeHtml {
  return html`<h1 class="kern-heading-large">${p.t('eidAccount.confirm.title')}</h1>
${alert('info', p.t('eidAccount.section.confirmFirst'))}
<p><a class="kern-btn kern-btn--primary" href="/account/confirm"><span class="kern-label">${p.t('means.confirm')}</span></a></p>
<p class="kern-body"><a class="kern-link" href="/account/security">${p.t('eidAccount.back')}</a></p>`;
}
