import type { Account } from '../../identity/account-repository.ts';
import type { AttributeName, IdentityAttribute } from '../../identity/attributes.ts';
import { isScope, type Scope } from '../../login/scopes.ts';
import type { MessageId } from '../../text/index.ts';
import { button, csrfField } from '../../web/components.ts';
import { displayValue, formatDay } from '../../web/formats.ts';
import { html, type SafeHtml } from '../../web/html.ts';
import type { PageContext } from '../../web/layout.ts';

export interface ConsentPageOptions {
  /** Base path of the login: /interaction/<uid> or /saml/login/<uid>. */
  base: string;
  serviceName: string;
  operator: string | undefined;
  scopes: string[];
  account: Account;
  attributes: Map<AttributeName, IdentityAttribute>;
  /** SAML names attributes one by one: then only those are listed (undefined: every one of the scopes). */
  only?: ReadonlySet<AttributeName> | undefined;
}

const scopeAttributes: Record<Scope, AttributeName[]> = {
  openid: [],
  profile: ['given_name', 'family_name', 'birthdate', 'birth_family_name', 'place_of_birth', 'nationality'],
  email: [],
  address: ['street_address', 'postal_code', 'locality', 'country'],
  phone: ['phone_number'],
  verified_claims: [],
};

/** Scopes the provider still needs consent for (oidc-provider's consent prompt details). */
export function missingScopes(details: {
  prompt: { details: Record<string, unknown> };
  params: Record<string, unknown>;
}): string[] {
  const missing = details.prompt.details.missingOIDCScope;
  if (Array.isArray(missing)) return missing.map(String);
  return String(details.params.scope ?? 'openid').split(' ');
}

/** The identity data a login would ask for, in the order of the scopes, each once. */
function requestedAttributes(scopes: readonly string[], only: ConsentPageOptions['only']): AttributeName[] {
  const names = scopes.flatMap((s) => (isScope(s) ? scopeAttributes[s] : []));
  return [...new Set(names)].filter((name) => !only || only.has(name));
}

/**
 * Which data go to which service (the seed's fourth click), told exactly:
 * each datum that would be sent once, with its value and where it comes
 * from, so nothing a clerk or the ID card confirmed reads as typed in; what
 * was asked for but is not there is named as not sent (issue 15 point 5).
 */
export function consentPage(p: PageContext, o: ConsentPageOptions): SafeHtml {
  const { t, lang } = p;
  const scopes = o.scopes.filter((s) => isScope(s) || s === 'offline_access');
  const names = requestedAttributes(scopes, o.only);
  const present = names.filter((name) => o.attributes.get(name)?.value);
  const absent = names.filter((name) => !o.attributes.get(name)?.value);
  const label = (name: AttributeName) => t(`attr.${name}` as MessageId);
  // Only checked data carry a note; one sentence says what no note means, rather than a note on every row.
  const typed = (a: IdentityAttribute) => a.source === 'typed' || !a.verifiedAt;
  const origin = (a: IdentityAttribute): string | undefined =>
    typed(a) || !a.verifiedAt
      ? undefined
      : t(`consent.verified.${a.source}` as MessageId, { date: formatDay(a.verifiedAt, lang) });
  const anyTyped = present.some((name) => typed(o.attributes.get(name) as IdentityAttribute));
  const row = (key: string, value: string, note?: string) =>
    html`<div class="kern-description-list-item"><dt class="kern-description-list-item__key">${key}</dt><dd class="kern-description-list-item__value">${value}${note ? html`<br><span class="kern-body kern-body--small">${note}</span>` : ''}</dd></div>`;
  const rows = [
    ...present.map((name) => {
      const attribute = o.attributes.get(name) as IdentityAttribute;
      return row(label(name), displayValue(name, attribute.value, lang), origin(attribute));
    }),
    ...(scopes.includes('email') ? [row(t('attr.email'), o.account.email)] : []),
  ];
  const groups = scopes.filter((s) => s !== 'openid' && s !== 'verified_claims' && s !== 'offline_access');
  return html`<h1 class="kern-heading-large">${t('consent.title')}</h1>
<p class="kern-body kern-body--large">${t('consent.intro', { service: o.serviceName })}</p>
${o.operator ? html`<p class="kern-body">${t('consent.operator', { operator: o.operator })}</p>` : ''}
${rows.length > 0 ? html`<dl class="kern-description-list">${rows}</dl>` : ''}
${anyTyped ? html`<p class="kern-body">${t('consent.source.typed')}</p>` : ''}
<h2 class="kern-heading-small">${t('consent.always')}</h2>
<ul class="kern-list kern-list--bullet">
<li>${t('consent.scope.openid')}</li>
${scopes.includes('verified_claims') ? html`<li>${t('consent.scope.verified_claims')}</li>` : ''}
${scopes.includes('offline_access') ? html`<li>${t('consent.scope.offline_access')}</li>` : ''}
</ul>
${absent.length > 0 ? html`<p class="kern-body">${t('consent.absent', { data: absent.map(label).join(', ') })}</p>` : ''}
<p class="kern-body">${groups.length > 0 ? t('consent.rememberGroups', { groups: groups.map((s) => t(`consent.group.${s}` as MessageId)).join(', ') }) : t('consent.remember')}</p>
<div class="actions">
<form method="post" action="${o.base}/consent">${csrfField(p.csrfToken)}${button(t('consent.allow'))}</form>
<form method="post" action="${o.base}/abort">${csrfField(p.csrfToken)}${button(t('consent.deny'), 'secondary')}</form>
</div>`;
}
