import type { Account } from '../../identity/account-repository.ts';
import { attributeNames, type AttributeName, type IdentityAttribute } from '../../identity/attributes.ts';
import type { MessageId } from '../../text/index.ts';
import { alert, button, csrfField, errorSummary, input, type FieldError } from '../../web/components.ts';
import { html, type SafeHtml } from '../../web/html.ts';
import type { PageContext } from '../../web/layout.ts';
import type { Consent } from '../consent/consent-repository.ts';
import type { Means } from './means.ts';
import { meansSection, type MeansState } from './means-page.ts';
import { eidSection, type EidSectionState } from '../../methods/eid/account/section.ts';
import { identityField, type ReauthState } from './reauth.ts';

export interface AccountPageOptions {
  account: Account;
  attributes: Map<AttributeName, IdentityAttribute>;
  consents: Consent[];
  means: Means[];
  meansState: MeansState;
  /** How this session confirms a sensitive change: the password, or (no password) a fresh eID login. */
  reauth: ReauthState;
  /** Present when the eID is offered. */
  eid?: EidSectionState;
  notice?: { kind: 'success' | 'info'; text: string };
  errors?: FieldError[];
  values?: Record<string, string>;
}

const inputType: Partial<Record<AttributeName, 'date' | 'tel'>> = { birthdate: 'date', phone_number: 'tel' };
const hints: Partial<Record<AttributeName, MessageId>> = {
  nationality: 'attr.countryHint',
  country: 'attr.countryHint',
  birthdate: 'attr.birthdateHint',
};
const autocomplete: Partial<Record<AttributeName, string>> = {
  given_name: 'given-name',
  family_name: 'family-name',
  birthdate: 'bday',
  street_address: 'street-address',
  postal_code: 'postal-code',
  locality: 'address-level2',
  country: 'country',
  phone_number: 'tel',
};

/** A hidden username field, so password managers fill the right password; useless without one. */
const usernameHint = (o: AccountPageOptions) =>
  o.reauth.hasPassword
    ? html`<input type="text" name="username" value="${o.account.username}" autocomplete="username" hidden>`
    : '';

/**
 * "Passwort ändern" (current and new password), or for an account without a
 * password "Passwort festlegen": the new password only, confirmed by a
 * fresh eID login (flows/settings/reauth.ts).
 */
function passwordSection(p: PageContext, o: AccountPageOptions, errors: FieldError[]): SafeHtml {
  const { t } = p;
  const title = t(o.reauth.hasPassword ? 'account.password.title' : 'eidReauth.set.title');
  return html`<section aria-labelledby="password-section" class="stack">
<h2 class="kern-heading-medium" id="password-section">${title}</h2>
${o.reauth.hasPassword ? '' : html`<p class="kern-body">${t('eidReauth.set.intro')}</p>`}
<form method="post" action="/account/password" class="form-stack" novalidate>
${csrfField(p.csrfToken)}
<input type="text" name="username" value="${o.account.username}" autocomplete="username" hidden>
${identityField(p, o.reauth, { name: 'current_password', label: t('account.password.current'), errors })}
${input({ t, name: 'new_password', label: t('account.password.new'), hint: t('register.passwordHint'), type: 'password', autocomplete: 'new-password', maxlength: 256, errors })}
<div class="actions">${button(title, 'secondary')}</div>
</form>
</section>`;
}

/**
 * "Mein Konto" for a session that used only the password on an account
 * with a second factor (issue 13, point 2): who is logged in, why nothing
 * more shows, the way to confirm (back here afterwards), and the way to
 * block a lost second factor.
 */
export function accountOverview(
  p: PageContext,
  o: { account: Account; notice?: { kind: 'success' | 'info'; text: string } },
): SafeHtml {
  const { t } = p;
  return html`<h1 class="kern-heading-large">${t('account.title')}</h1>
<p class="kern-body">${t('account.welcomeShort', { username: o.account.username })}</p>
${o.notice ? alert(o.notice.kind, o.notice.text) : ''}
<section aria-labelledby="account-confirm" class="stack" id="account-confirm-section">
<h2 class="kern-heading-medium" id="account-confirm">${t('account.confirm.title')}</h2>
<p class="kern-body">${t('account.confirm.intro')}</p>
<p><a class="kern-btn kern-btn--primary" href="/account/confirm?return=/account"><span class="kern-label">${t('means.confirm')}</span></a></p>
<p class="kern-body"><a class="kern-link" href="/means/lost">${t('means.lostLink')}</a></p>
</section>`;
}

/** "Verbundene Dienste": each service the citizen consented to, with what it receives and a way to revoke. */
function servicesSection(p: PageContext, consents: Consent[], date: (d: Date) => string): SafeHtml {
  const { t } = p;
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

/** "Mein Konto": every section on one page, each a small form of its own. */
export function accountPage(p: PageContext, o: AccountPageOptions): SafeHtml {
  const { t } = p;
  const errors = o.errors ?? [];
  const v = o.values ?? {};
  const date = (d: Date) =>
    new Intl.DateTimeFormat(p.lang === 'de' ? 'de-DE' : 'en-GB', { dateStyle: 'long' }).format(d);
  return html`<h1 class="kern-heading-large">${t('account.title')}</h1>
<p class="kern-body">${t('account.welcome', { username: o.account.username, email: o.account.email })}</p>
${o.notice ? alert(o.notice.kind, o.notice.text) : ''}
${errorSummary(t, errors)}
<section aria-labelledby="profile" class="stack">
<h2 class="kern-heading-medium" id="profile">${t('account.profile.title')}</h2>
<p class="kern-body">${t('account.profile.intro')}</p>
<form method="post" action="/account/profile" class="form-stack" novalidate>
${csrfField(p.csrfToken)}
${attributeNames.map((name) => {
  const attr = o.attributes.get(name);
  if (attr && attr.source !== 'typed') {
    // Where a value came from and when, in words (design notes §6 Refresh).
    const source =
      attr.source === 'eid' && attr.verifiedAt
        ? html`<br><span class="kern-body--small">${t('eidAccount.source', { date: date(attr.verifiedAt) })}</span>`
        : '';
    return html`<div class="kern-form-input"><span class="kern-label">${t(`attr.${name}` as MessageId)}</span><p class="kern-body">${attr.value} <span class="kern-badge kern-badge--success">${t('account.profile.verified')}</span>${source}</p></div>`;
  }
  const hint = hints[name];
  return input({
    t,
    name,
    label: t(`attr.${name}` as MessageId),
    type: inputType[name] ?? 'text',
    value: v[name] ?? attr?.value ?? '',
    required: false,
    maxlength: 200,
    errors,
    ...(autocomplete[name] ? { autocomplete: autocomplete[name] } : {}),
    ...(hint ? { hint: t(hint) } : {}),
  });
})}
<div class="actions">${button(t('form.save'))}</div>
</form>
</section>
${servicesSection(p, o.consents, date)}
${o.eid ? eidSection(p, o.eid) : ''}
${meansSection(p, { account: o.account, means: o.means, state: o.meansState, errors })}
${passwordSection(p, o, errors)}
<section aria-labelledby="email-section" class="stack">
<h2 class="kern-heading-medium" id="email-section">${t('account.email.title')}</h2>
<form method="post" action="/account/email" class="form-stack" novalidate>
${csrfField(p.csrfToken)}
${input({ t, name: 'new_email', label: t('account.email.new'), hint: t('account.email.hint'), type: 'email', autocomplete: 'email', value: v.new_email ?? '', maxlength: 254, errors })}
${identityField(p, o.reauth, { name: 'email_password', label: t('account.password.current'), errors })}
<div class="actions">${button(t('account.email.title'), 'secondary')}</div>
</form>
</section>
<section aria-labelledby="export-section" class="stack">
<h2 class="kern-heading-medium" id="export-section">${t('account.export.title')}</h2>
<p class="kern-body">${t('account.export.intro')}</p>
<p><a class="kern-btn kern-btn--secondary" href="/account/export" download="servicekonto-daten.json"><span class="kern-label">${t('account.export.button')}</span></a></p>
</section>
<section aria-labelledby="delete-section" class="stack">
<h2 class="kern-heading-medium" id="delete-section">${t('account.delete.title')}</h2>
<p class="kern-body">${t('account.delete.intro')}</p>
<form method="post" action="/account/delete" class="form-stack" novalidate>
${csrfField(p.csrfToken)}
${usernameHint(o)}
${identityField(p, o.reauth, { name: 'delete_password', label: t('account.delete.password'), errors })}
<div class="actions">${button(t('account.delete.button'), 'secondary')}</div>
</form>
</section>`;
}
