/**
 * Exports `eidSection(p, state)`: "Mein Konto" → Online-Ausweis. The
 * linked cards (kind of document, card or Smart-eID, linked on, last
 * used, blocked), a block button per card, and the ways to link a card or
 * refresh the data. Changing anything needs a session at the account's
 * maximum (TR-03160-1), so without it the section says how to confirm.
 */
import { documentKind } from '../identity.ts';
import type { EidLink } from '../link-repository.ts';
import { button, csrfField } from '../../../web/components.ts';
import { html, type SafeHtml } from '../../../web/html.ts';
import type { PageContext } from '../../../web/layout.ts';

export interface EidSectionState {
  links: EidLink[];
  /** The session is at the account's maximum: cards may be linked, refreshed and blocked. */
  confirmed: boolean;
}

function cardItem(p: PageContext, link: EidLink, i: number, confirmed: boolean, date: (d: Date) => string): SafeHtml {
  const { t } = p;
  const used = link.lastUsedAt ? html`, ${t('eidAccount.card.lastUsed', { date: date(link.lastUsedAt) })}` : '';
  const block =
    confirmed && !link.blockedAt
      ? html`<div class="kern-card__footer"><form method="post" action="/account/eid/block">${csrfField(p.csrfToken)}<input type="hidden" name="link_id" value="${link.id}">
<p class="kern-body">${t('eidAccount.card.blockIntro')}</p>${button(t('eidAccount.card.block'), 'tertiary', html`aria-describedby="eid-card-${i}"`)}</form></div>`
      : '';
  return html`<li class="kern-card"><div class="kern-card__container"><div class="kern-card__header"><h3 class="kern-title" id="eid-card-${i}">${t(`eidAccount.document.${documentKind(link.documentType)}`)}</h3>
<p class="kern-body kern-body--small">${t(link.eidType === 'CardCertified' ? 'eidAccount.type.card' : 'eidAccount.type.smart')}</p></div>
<div class="kern-card__body"><p class="kern-body">${t('eidAccount.card.since', { date: date(link.createdAt) })}${used}.</p>
${link.blockedAt ? html`<p class="kern-body"><span class="kern-badge kern-badge--danger">${t('means.blockedBadge', { date: date(link.blockedAt) })}</span></p>` : ''}</div>
${block}</div></li>`;
}

export function eidSection(p: PageContext, o: EidSectionState): SafeHtml {
  const { t } = p;
  const date = (d: Date) =>
    new Intl.DateTimeFormat(p.lang === 'de' ? 'de-DE' : 'en-GB', { dateStyle: 'long' }).format(d);
  const live = o.links.some((l) => !l.blockedAt);
  const actions = o.confirmed
    ? html`<p><a class="kern-btn kern-btn--secondary" href="/account/eid"><span class="kern-label">${t('eidAccount.section.link')}</span></a></p>
${live ? html`<p><a class="kern-btn kern-btn--secondary" href="/account/refresh/eid"><span class="kern-label">${t('eidAccount.section.refresh')}</span></a></p>` : ''}`
    : html`<p class="kern-body">${t('eidAccount.section.confirmFirst')}</p>
<p><a class="kern-btn kern-btn--secondary" href="/account/confirm"><span class="kern-label">${t('means.confirm')}</span></a></p>`;
  return html`<section aria-labelledby="eid-section" class="stack">
<h2 class="kern-heading-medium" id="eid-section">${t('eidAccount.section.title')}</h2>
<p class="kern-body">${t('eidAccount.section.intro')}</p>
${o.links.length === 0 ? html`<p class="kern-body">${t('eidAccount.section.none')}</p>` : html`<ul class="method-list">${o.links.map((l, i) => cardItem(p, l, i, o.confirmed, date))}</ul>`}
${actions}
</section>`;
}
