import type { Account } from '../../identity/account-repository.ts';
import type { AttributeName, IdentityAttribute } from '../../identity/attributes.ts';
import { isScope, type Scope } from '../../login/scopes.ts';
import type { MessageId } from '../../text/index.ts';
import { button, csrfField } from '../../web/components.ts';
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

/**
 * Which data go to which service (the seed's fourth click): every requested
 * group in plain language, with the values that would be sent.
 */
export function consentPage(p: PageContext, o: ConsentPageOptions): SafeHtml {
  const { t } = p;
  const scopes = o.scopes.filter((s) => isScope(s) || s === 'offline_access');
  const row = (label: string, value: string | undefined) =>
    html`<div class="kern-description-list-item"><dt class="kern-description-list-item__key">${label}</dt><dd class="kern-description-list-item__value">${value ?? t('consent.missing')}</dd></div>`;
  const date = (d: Date | null) =>
    d ? new Intl.DateTimeFormat(p.lang === 'de' ? 'de-DE' : 'en-GB', { dateStyle: 'long' }).format(d) : '–';
  // verified_claims releases no data of its own: it says which of the data
  // the other requested scopes release were verified, and how (OIDC4IA §5.8).
  const verification = (): SafeHtml => {
    const verified = scopes
      .flatMap((s) => (isScope(s) ? scopeAttributes[s] : []))
      .flatMap((name) => {
        const attribute = o.attributes.get(name);
        return attribute && attribute.source !== 'typed' ? [attribute] : [];
      });
    if (verified.length === 0) return html`<p class="kern-body">${t('consent.verified.none')}</p>`;
    return html`<dl class="kern-description-list">${verified.map((a) => row(t(`attr.${a.name}` as MessageId), t(`consent.verified.${a.source}` as MessageId, { date: date(a.verifiedAt) })))}</dl>`;
  };
  const values = (scope: string): SafeHtml => {
    if (scope === 'email') return html`<p class="kern-body">${o.account.email}</p>`;
    if (scope === 'verified_claims') return verification();
    if (!isScope(scope)) return html``;
    const names = scopeAttributes[scope].filter((name) => !o.only || o.only.has(name));
    if (names.length === 0) return html``;
    return html`<dl class="kern-description-list">${names.map((name) => row(t(`attr.${name}` as MessageId), o.attributes.get(name)?.value))}</dl>`;
  };
  return html`<h1 class="kern-heading-large">${t('consent.title')}</h1>
<p class="kern-body kern-body--large">${t('consent.intro', { service: o.serviceName })}</p>
${o.operator ? html`<p class="kern-body">${t('consent.operator', { operator: o.operator })}</p>` : ''}
<ul class="scope-list">
${scopes.map((scope) => html`<li><p class="kern-body kern-body--bold">${t(`consent.scope.${scope}` as MessageId)}</p>${values(scope)}</li>`)}
</ul>
<p class="kern-body">${t('consent.remember')}</p>
<div class="actions">
<form method="post" action="${o.base}/consent">${csrfField(p.csrfToken)}${button(t('consent.allow'))}</form>
<form method="post" action="${o.base}/abort">${csrfField(p.csrfToken)}${button(t('consent.deny'), 'secondary')}</form>
</div>`;
}
