import type { LevelGap, LevelWay } from '../../methods/method.ts';
import { button, csrfField } from '../../web/components.ts';
import { html, type SafeHtml } from '../../web/html.ts';
import type { PageContext } from '../../web/layout.ts';
import type { MessageId } from '../../text/index.ts';

/** A level in words (DESIGN.md §3 names), never a number or URI. */
export function levelName(p: PageContext, level: number): string {
  const known = Math.min(4, Math.max(1, Math.trunc(level)));
  return p.t(`level.name.${known}` as MessageId);
}

function wayItem(p: PageContext, way: LevelWay): SafeHtml {
  return html`<li><p class="kern-body"><a class="kern-link" href="${way.href}">${p.t(way.title)}</a></p>
<p class="kern-body">${p.t(way.text)}</p></li>`;
}

/**
 * What the service needs, why the account does not reach it now, and the
 * ways this installation offers (issue 15, point 6); "back to the service"
 * posts, and then the service gets the refusal it always got.
 */
export function levelPage(
  p: PageContext,
  o: { serviceName: string; gap: LevelGap; ways: readonly LevelWay[]; inPerson: boolean; action: string },
): SafeHtml {
  const { gap } = o;
  const service = o.serviceName;
  const meaning =
    gap.required >= 2 ? html`<p class="kern-body">${p.t(`level.meaning.${gap.required}` as MessageId)}</p>` : '';
  const inPerson = o.inPerson
    ? html`<li><p class="kern-body"><strong>${p.t('level.inPerson.title')}</strong></p>
<p class="kern-body">${p.t('level.inPerson.text')}</p></li>`
    : '';
  const any = o.ways.length > 0 || o.inPerson;
  return html`<h1 class="kern-heading-large">${p.t('level.title')}</h1>
<p class="kern-body">${p.t('level.needs', { service, level: levelName(p, gap.required) })}</p>
${meaning}
<p class="kern-body">${p.t(`level.why.${gap.reason}`, { reachable: levelName(p, gap.reachable) })}</p>
${gap.reason === 'means' && gap.meansReset ? html`<p class="kern-body">${p.t('level.why.meansReset')}</p>` : ''}
<h2 class="kern-heading-medium">${p.t('level.ways')}</h2>
${
  any
    ? html`<ul class="kern-list">${o.ways.map((w) => wayItem(p, w))}${inPerson}</ul>
<p class="kern-body">${p.t('level.afterwards', { service })}</p>`
    : html`<p class="kern-body">${p.t('level.noWay')}</p>`
}
<p class="kern-body">${p.t('level.back.text')}</p>
<form method="post" action="${o.action}">${csrfField(p.csrfToken)}${button(p.t('level.back'), 'secondary')}</form>`;
}
