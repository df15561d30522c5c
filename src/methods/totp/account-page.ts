import type { Means } from '../../flows/settings/means.ts';
import { html, type SafeHtml } from '../../web/html.ts';
import type { PageContext } from '../../web/layout.ts';
import { totpInfo } from './info.ts';

/** "Mein Konto": the way to add the authenticator app, while the account has none (one per account). */
export function totpAddSection(p: PageContext, o: { means: readonly Means[] }): SafeHtml {
  const { t } = p;
  if (o.means.some((m) => m.kind === totpInfo.id && m.blockedAt === null)) return html``;
  return html`<h3 class="kern-heading-small">${t('means.addTotp')}</h3><p class="kern-body">${t('totp.setupIntroAccount')}</p><p><a class="kern-btn kern-btn--secondary" href="/account/totp/setup"><span class="kern-label">${t('means.addTotp')}</span></a></p>`;
}
