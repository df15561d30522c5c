import type { Account } from '../../identity/account-repository.ts';
import { attributeNames, type AttributeName, type IdentityAttribute } from '../../identity/attributes.ts';
import type { MessageId } from '../../text/index.ts';
import { button, csrfField, input, select, type FieldError } from '../../web/components.ts';
import { countryOptions, displayValue, nationalityOptions } from '../../web/formats.ts';
import { html, type SafeHtml } from '../../web/html.ts';
import type { PageContext } from '../../web/layout.ts';
import { longDate } from './page.ts';
import { identityField, type ReauthState } from './reauth.ts';

export interface ProfilePageOptions {
  account: Account;
  attributes: Map<AttributeName, IdentityAttribute>;
  reauth: ReauthState;
  errors: FieldError[];
  values: Record<string, string>;
}

const inputType: Partial<Record<AttributeName, 'date' | 'tel'>> = { birthdate: 'date', phone_number: 'tel' };
const hints: Partial<Record<AttributeName, MessageId>> = { birthdate: 'attr.birthdateHint' };
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

/** "Persönliche Daten": the identity data (verified ones shown, typed ones editable) and the e-mail address. */
export function profilePage(p: PageContext, o: ProfilePageOptions): SafeHtml {
  const { t } = p;
  const { errors, values: v } = o;
  const date = longDate(p);
  return html`<section aria-labelledby="profile" class="stack">
<h2 class="kern-heading-medium" id="profile">${t('account.profile.title')}</h2>
<p class="kern-body">${t('account.profile.intro')}</p>
<form method="post" action="/account/profile" class="form-stack" novalidate>
${csrfField(p.csrfToken)}
${attributeNames.map((name) => {
  const attr = o.attributes.get(name);
  if (attr && attr.source !== 'typed') {
    // Where a value came from and when, in words (design notes §6 Refresh).
    const source = attr.verifiedAt
      ? html`<br><span class="kern-body--small">${attr.source === 'eid' ? t('eidAccount.source', { date: date(attr.verifiedAt) }) : t(`consent.verified.${attr.source}` as MessageId, { date: date(attr.verifiedAt) })}</span>`
      : '';
    return html`<div class="kern-form-input"><span class="kern-label">${t(`attr.${name}` as MessageId)}</span><p class="kern-body">${displayValue(name, attr.value, p.lang)} <span class="kern-badge kern-badge--success">${t('account.profile.verified')}</span>${source}</p></div>`;
  }
  // Countries and nationalities are chosen by name, never typed as codes (issue 15 point 4).
  if (name === 'country' || name === 'nationality') {
    const value = v[name] ?? attr?.value ?? '';
    return select({
      t,
      name,
      label: t(`attr.${name}` as MessageId),
      value,
      options: name === 'country' ? countryOptions(p.lang) : nationalityOptions(p.lang, value),
      emptyLabel: t('attr.choose'),
      errors,
      ...(name === 'country' ? { autocomplete: 'country' } : {}),
    });
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
<section aria-labelledby="email-section" class="stack">
<h2 class="kern-heading-medium" id="email-section">${t('account.email.title')}</h2>
<p class="kern-body">${t('account.welcome', { username: o.account.username, email: o.account.email })}</p>
<form method="post" action="/account/email" class="form-stack" novalidate>
${csrfField(p.csrfToken)}
${input({ t, name: 'new_email', label: t('account.email.new'), hint: t('account.email.hint'), type: 'email', autocomplete: 'email', value: v.new_email ?? '', maxlength: 254, errors })}
${identityField(p, o.reauth, { name: 'email_password', label: t('account.confirmPassword.email'), errors })}
<div class="actions">${button(t('account.email.title'), 'secondary')}</div>
</form>
</section>`;
}
