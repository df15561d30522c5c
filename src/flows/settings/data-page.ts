import type { Account } from '../../identity/account-repository.ts';
import { button, csrfField, moreInfo, type FieldError } from '../../web/components.ts';
import { html, type SafeHtml } from '../../web/html.ts';
import type { PageContext } from '../../web/layout.ts';
import { identityField, type ReauthState } from './reauth.ts';

/** "Daten und Konto": all data as a file (GDPR Art. 15 and 20, under "Mehr erfahren"), and deleting the account. */
export function dataPage(p: PageContext, o: { account: Account; reauth: ReauthState; errors: FieldError[] }): SafeHtml {
  const { t } = p;
  // A hidden username field, so password managers fill the right password; useless without one.
  const usernameHint = o.reauth.hasPassword
    ? html`<input type="text" name="username" value="${o.account.username}" autocomplete="username" hidden>`
    : '';
  return html`<section aria-labelledby="export-section" class="stack">
<h2 class="kern-heading-medium" id="export-section">${t('account.export.title')}</h2>
<p class="kern-body">${t('account.export.intro')}</p>
${moreInfo(t, t('account.export.more'))}
<p><a class="kern-btn kern-btn--secondary" href="/account/export" download="servicekonto-daten.json"><span class="kern-label">${t('account.export.button')}</span></a></p>
</section>
<section aria-labelledby="delete-section" class="stack">
<h2 class="kern-heading-medium" id="delete-section">${t('account.delete.title')}</h2>
<p class="kern-body">${t('account.delete.intro')}</p>
<form method="post" action="/account/delete" class="form-stack" novalidate>
${csrfField(p.csrfToken)}
${usernameHint}
${identityField(p, o.reauth, { name: 'delete_password', label: t('account.confirmPassword.delete'), errors: o.errors })}
<div class="actions">${button(t('account.delete.button'), 'secondary')}</div>
</form>
</section>`;
}
