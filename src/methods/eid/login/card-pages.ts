/** The pages after a card was read that belongs to no account, or whose link the citizen blocked. */
import { html, type SafeHtml } from '../../../web/html.ts';
import type { PageContext } from '../../../web/layout.ts';
import type { EidState } from '../reading/scope.ts';

export function unknownCardPage(p: PageContext, s: EidState): SafeHtml {
  const returnTo = s.base === '/login' ? '' : `?return=${encodeURIComponent(s.base)}`;
  return html`<h1 class="kern-heading-large">${p.t('eid.unknownCard.title')}</h1>
<p class="kern-body">${p.t('eid.unknownCard.text')}</p>
<p class="kern-body"><a class="kern-btn kern-btn--primary" href="/register/eid${returnTo}"><span class="kern-label">${p.t('eid.unknownCard.register')}</span></a></p>
<p class="kern-body"><a class="kern-link" href="${s.base}/password">${p.t('eid.unknownCard.password')}</a></p>
${s.cancel ? s.cancel(p) : ''}`;
}

export function blockedCardPage(p: PageContext, s: EidState): SafeHtml {
  return html`<h1 class="kern-heading-large">${p.t('eid.blockedCard.title')}</h1>
<p class="kern-body">${p.t('eid.blockedCard.text')}</p>
<p class="kern-body"><a class="kern-link" href="${s.back.href}">${p.t(s.back.label)}</a></p>
${s.cancel ? s.cancel(p) : ''}`;
}
