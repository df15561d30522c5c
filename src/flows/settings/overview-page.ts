import type { Account } from '../../identity/account-repository.ts';
import type { Level } from '../../session/limits.ts';
import { html, type SafeHtml } from '../../web/html.ts';
import type { PageContext } from '../../web/layout.ts';
import { shownSections } from './sections.ts';

export const levelWord = (p: PageContext, level: Level): string => p.t(`accountArea.level.${level}`);

/**
 * "Mein Konto" → Übersicht: who is logged in, the trust level the account
 * reaches and the one of this login, and where each task is.
 */
export function overviewPage(
  p: PageContext,
  o: { account: Account; accountLevel: Level; sessionLevel: Level },
): SafeHtml {
  const { t } = p;
  return html`<p class="kern-body">${t('account.welcome', { username: o.account.username, email: o.account.email })}</p>
<section aria-labelledby="level-section" class="stack">
<h2 class="kern-heading-medium" id="level-section">${t('accountArea.overview.levelTitle')}</h2>
<p class="kern-body">${t('accountArea.overview.accountLevel', { level: levelWord(p, o.accountLevel) })}</p>
<p class="kern-body">${t('accountArea.overview.sessionLevel', { level: levelWord(p, o.sessionLevel) })}</p>
<p class="kern-body">${t('accountArea.overview.levelExplained')}</p>
</section>
<section aria-labelledby="tasks-section" class="stack">
<h2 class="kern-heading-medium" id="tasks-section">${t('accountArea.overview.sectionsTitle')}</h2>
<ul class="method-list">${shownSections()
    .filter((s) => s.summary !== undefined)
    .map(
      (s) =>
        html`<li class="kern-card"><div class="kern-card__container"><div class="kern-card__header"><h3 class="kern-title"><a class="kern-link" href="${s.path}">${t(s.title)}</a></h3></div>
<div class="kern-card__body"><p class="kern-body">${s.summary ? t(s.summary) : ''}</p></div></div></li>`,
    )}</ul>
</section>`;
}
