/**
 * The citizen's pages around the card reading: the hand-over to the eID
 * client, "still reading", the failure with a way on, and "go back to the
 * first browser". The hand-over is a link the citizen follows, not a
 * redirect (TR-03130 §3.1.1 step 2), and "still reading" has a Continue
 * button rather than a timed refresh (WCAG 2.2.1, failure F41).
 */
import { operations } from '../soap/operations.ts';
import type { UseOperations } from '../soap/operations.ts';
import type { MessageId } from '../../../text/index.ts';
import { alert } from '../../../web/components.ts';
import { html, type SafeHtml } from '../../../web/html.ts';
import type { PageContext } from '../../../web/layout.ts';
import type { EidState } from './scope.ts';

function heading(p: PageContext, s: EidState, title: MessageId): SafeHtml {
  return html`${s.serviceName ? html`<p class="kern-preline">${p.t('login.forService', { service: s.serviceName })}</p>` : ''}
<h1 class="kern-heading-large">${p.t(title)}</h1>`;
}

function wayBack(p: PageContext, s: EidState): SafeHtml {
  return html`<p class="kern-body"><a class="kern-link" href="${s.back.href}">${p.t(s.back.label)}</a></p>
${s.cancel ? s.cancel(p) : ''}`;
}

function dataList(p: PageContext, useOperations: UseOperations): SafeHtml {
  const read = operations.filter((op) => (useOperations[op] ?? 'PROHIBITED') !== 'PROHIBITED');
  return html`<h2 class="kern-heading-small" id="eid-data">${p.t('eid.handover.dataTitle')}</h2>
<ul class="kern-list kern-list--bullet" aria-labelledby="eid-data">
${read.map((op) => html`<li>${p.t(`eid.op.${op}` as MessageId)}${useOperations[op] === 'ALLOWED' ? html` ${p.t('eid.handover.optional')}` : ''}</li>`)}
</ul>`;
}

export function handOverPage(p: PageContext, s: EidState, clientHref: string): SafeHtml {
  return html`${heading(p, s, s.title)}
<p class="kern-body">${p.t('eid.handover.intro')}</p>
${dataList(p, s.request.useOperations)}
<p class="kern-body">${p.t(`eid.handover.why.${s.purpose === 'refresh' ? 'link' : s.purpose}` as MessageId)}</p>
<p class="kern-body"><a class="kern-btn kern-btn--primary" href="${clientHref}" id="eid-start"><span class="kern-label">${p.t('eid.handover.start')}</span></a></p>
<p class="kern-body kern-body--small">${p.t('eid.handover.after')}</p>
${wayBack(p, s)}`;
}

export function pendingPage(p: PageContext, s: EidState, returnHref: string): SafeHtml {
  return html`${heading(p, s, 'eid.pending.title')}
<p class="kern-body">${p.t('eid.pending.text')}</p>
<p class="kern-body"><a class="kern-btn kern-btn--primary" href="${returnHref}"><span class="kern-label">${p.t('eid.pending.continue')}</span></a></p>
${wayBack(p, s)}`;
}

export function failedPage(
  p: PageContext,
  s: EidState,
  message: MessageId,
  title: MessageId = 'eid.failed.title',
): SafeHtml {
  return html`${heading(p, s, title)}
${alert('danger', p.t(message))}
<p class="kern-body"><a class="kern-btn kern-btn--primary" href="${s.base}/eid"><span class="kern-label">${p.t('eid.retry')}</span></a></p>
${wayBack(p, s)}`;
}

export function otherBrowserPage(p: PageContext): SafeHtml {
  return html`<h1 class="kern-heading-large">${p.t('eid.otherBrowser.title')}</h1>
<p class="kern-body">${p.t('eid.otherBrowser.text')}</p>`;
}
