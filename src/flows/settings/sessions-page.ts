import { readDevice } from '../../session/device.ts';
import type { Level } from '../../session/limits.ts';
import type { DeviceSession } from '../../session/sso-session-repository.ts';
import type { MessageId } from '../../text/index.ts';
import { button, csrfField } from '../../web/components.ts';
import { html, type SafeHtml } from '../../web/html.ts';
import type { PageContext } from '../../web/layout.ts';
import { levelWord } from './overview-page.ts';
import { dateTime } from './page.ts';

/** A session as the page shows it: `handle` names it in forms (never the stored id, which is a token's hash). */
export interface ListedSession extends Omit<DeviceSession, 'id'> {
  handle: string;
  current: boolean;
  /** Begun with the password alone although the account has a second factor. */
  passwordOnly: boolean;
}

/** One login of the history: to the Servicekonto itself, or handed to a service. */
export interface HistoryEntry {
  at: Date;
  /** The means in words' ids, in the order used. */
  means: MessageId[];
  level: Level | undefined;
  /** The service's name, empty for one removed since; undefined for a login to the Servicekonto itself. */
  service: string | undefined;
}

export const historyLength = 20;

/** "Firefox unter Windows", in the page's language. */
function deviceName(p: PageContext, stored: string): string {
  const device = readDevice(stored);
  if (!device) return p.t('accountArea.sessions.unknownDevice');
  return p.t('accountArea.sessions.device', {
    browser: p.t(`accountArea.browser.${device.browser}`),
    system: p.t(`accountArea.system.${device.system}`),
  });
}

function sessionCard(p: PageContext, s: ListedSession, i: number): SafeHtml {
  const { t } = p;
  const when = dateTime(p);
  const end = s.current
    ? ''
    : html`<div class="kern-card__footer"><form method="post" action="/account/sessions/end">${csrfField(p.csrfToken)}<input type="hidden" name="session" value="${s.handle}">${button(t('accountArea.sessions.end'), 'secondary', html`aria-describedby="session-${i}"`)}</form></div>`;
  return html`<li class="kern-card"><div class="kern-card__container"><div class="kern-card__header"><h3 class="kern-title" id="session-${i}">${deviceName(p, s.device)}</h3>${s.current ? html`<p class="kern-body"><span class="kern-badge kern-badge--info">${t('accountArea.sessions.thisDevice')}</span></p>` : ''}${s.passwordOnly ? html`<p class="kern-body"><span class="kern-badge kern-badge--warning">${t('accountArea.sessions.passwordOnly')}</span></p>` : ''}</div>
<div class="kern-card__body"><ul class="kern-list">
<li>${t('accountArea.sessions.since', { date: when(s.authTime) })}</li>
<li>${t('accountArea.sessions.lastUsed', { date: when(s.lastActiveAt) })}</li>
<li>${t('accountArea.sessions.level', { level: levelWord(p, s.level) })}</li>
</ul>${s.passwordOnly && !s.current ? html`<p class="kern-body">${t('accountArea.sessions.passwordOnlyHint')}</p>` : ''}</div>
${end}</div></li>`;
}

function historyTable(p: PageContext, entries: HistoryEntry[]): SafeHtml {
  const { t } = p;
  if (entries.length === 0) return html`<p class="kern-body">${t('accountArea.history.none')}</p>`;
  const when = dateTime(p);
  const means = (ids: MessageId[]) => ids.map((id) => t(id)).join(t('accountArea.means.and'));
  return html`<div class="kern-table-responsive" role="region" aria-labelledby="history-section" tabindex="0"><table class="kern-table">
<caption class="kern-sr-only">${t('accountArea.history.title')}</caption>
<thead><tr class="kern-table__row">
<th class="kern-table__header" scope="col">${t('accountArea.history.time')}</th>
<th class="kern-table__header" scope="col">${t('accountArea.history.service')}</th>
<th class="kern-table__header" scope="col">${t('accountArea.history.method')}</th>
<th class="kern-table__header" scope="col">${t('accountArea.history.level')}</th>
</tr></thead>
<tbody class="kern-table__body">${entries.map(
    (e) => html`<tr class="kern-table__row">
<td class="kern-table__cell">${when(e.at)}</td>
<td class="kern-table__cell">${e.service === undefined ? t('accountArea.history.account') : e.service || t('accountArea.history.unknownService')}</td>
<td class="kern-table__cell">${means(e.means)}</td>
<td class="kern-table__cell">${e.level ? levelWord(p, e.level) : ''}</td>
</tr>`,
  )}</tbody></table></div>`;
}

/** "Geräte und Anmeldungen": where the account is logged in, with a way out, and the recent logins. */
export function sessionsPage(p: PageContext, o: { sessions: ListedSession[]; history: HistoryEntry[] }): SafeHtml {
  const { t } = p;
  const others = o.sessions.some((s) => !s.current);
  return html`<section aria-labelledby="sessions-section" class="stack">
<h2 class="kern-heading-medium" id="sessions-section">${t('accountArea.sessions.title')}</h2>
<p class="kern-body">${t('accountArea.sessions.intro')}</p>
<ul class="method-list">${o.sessions.map((s, i) => sessionCard(p, s, i))}</ul>
${
  others
    ? html`<form method="post" action="/account/sessions/end-others" class="form-stack">${csrfField(p.csrfToken)}
<p class="kern-body">${t('accountArea.sessions.endOthersIntro')}</p>
<div class="actions">${button(t('accountArea.sessions.endOthers'), 'secondary')}</div></form>`
    : html`<p class="kern-body">${t('accountArea.sessions.onlyThis')}</p>`
}
</section>
<section aria-labelledby="history-section" class="stack">
<h2 class="kern-heading-medium" id="history-section">${t('accountArea.history.title')}</h2>
<p class="kern-body">${t('accountArea.history.intro', { count: historyLength })}</p>
${historyTable(p, o.history)}
</section>`;
}
