import type { Account } from '../../identity/account-repository.ts';
import { eidSection, type EidSectionState } from '../../methods/eid/account/section.ts';
import { button, csrfField, input, type FieldError } from '../../web/components.ts';
import { html, type SafeHtml } from '../../web/html.ts';
import type { PageContext } from '../../web/layout.ts';
import type { Means } from './means.ts';
import { meansSection, type MeansState } from './means-page.ts';
import { identityField, type ReauthState } from './reauth.ts';

export interface SecurityPageOptions {
  account: Account;
  means: Means[];
  meansState: MeansState;
  /** How this session confirms a sensitive change: the password, or (no password) a fresh eID login. */
  reauth: ReauthState;
  /** Present when the eID is offered. */
  eid?: EidSectionState;
  errors: FieldError[];
}

/**
 * "Passwort ändern" (current and new password), or for an account without a
 * password "Passwort festlegen": the new password only, confirmed by a
 * fresh eID login (flows/settings/reauth.ts).
 */
function passwordSection(p: PageContext, o: SecurityPageOptions): SafeHtml {
  const { t } = p;
  const title = t(o.reauth.hasPassword ? 'account.password.title' : 'eidReauth.set.title');
  return html`<section aria-labelledby="password-section" class="stack">
<h2 class="kern-heading-medium" id="password-section">${title}</h2>
${o.reauth.hasPassword ? '' : html`<p class="kern-body">${t('eidReauth.set.intro')}</p>`}
<form method="post" action="/account/password" class="form-stack" novalidate>
${csrfField(p.csrfToken)}
<input type="text" name="username" value="${o.account.username}" autocomplete="username" hidden>
${identityField(p, o.reauth, { name: 'current_password', label: t('account.password.current'), errors: o.errors })}
${input({ t, name: 'new_password', label: t('account.password.new'), hint: t('register.passwordHint'), type: 'password', autocomplete: 'new-password', maxlength: 256, errors: o.errors })}
<div class="actions">${button(title, 'secondary')}</div>
</form>
</section>`;
}

/**
 * "Anmeldung und Sicherheit": the password, the means with each method's
 * "add one" part (methods' `addSection`), and the online ID.
 */
export function securityPage(p: PageContext, o: SecurityPageOptions): SafeHtml {
  return html`${passwordSection(p, o)}
${meansSection(p, { account: o.account, means: o.means, state: o.meansState, errors: o.errors })}
${o.eid ? eidSection(p, o.eid) : ''}`;
}
