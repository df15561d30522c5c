import type { MessageId } from '../../text/index.ts';
import { button, csrfField } from '../../web/components.ts';
import { html, type SafeHtml } from '../../web/html.ts';
import type { PageContext } from '../../web/layout.ts';
import type { Consent } from '../consent/consent-repository.ts';
import { longDate } from './page.ts';

/** "Verbundene Dienste": each service the citizen consented to, with what it receives and a way to revoke. */
export function servicesPage(p: PageContext, consents: Consent[]): SafeHtml {
  const { t } = p;
  const date = longDate(p);
  return html`<section aria-labelledby="services" class="stack">
<h2 class="kern-heading-medium" id="services">${t('account.services.title')}</h2>
${
  consents.length === 0
    ? html`<p class="kern-body">${t('account.services.none')}</p>`
    : html`<ul class="method-list">${consents.map(
        (
          c,
          i,
        ) => html`<li class="kern-card"><div class="kern-card__container"><div class="kern-card__header"><h3 class="kern-title" id="service-${i}">${c.serviceName}</h3></div>
<div class="kern-card__body"><p class="kern-body">${t('account.services.since', { date: date(c.grantedAt) })}</p>
<ul class="kern-list">${c.scopes.filter((s) => s !== 'openid').map((s) => html`<li>${t(`consent.scope.${s}` as MessageId)}</li>`)}</ul></div>
<div class="kern-card__footer"><form method="post" action="/account/services/revoke">${csrfField(p.csrfToken)}<input type="hidden" name="service" value="${c.serviceId}">${button(t('account.services.revoke'), 'secondary', html`aria-describedby="service-${i}"`)}</form></div></div></li>`,
      )}</ul>`
}
</section>`;
}
