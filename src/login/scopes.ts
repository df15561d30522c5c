// The consent groups are the same for both protocols: OIDC scopes, and the groups of SAML attributes
// (saml/profile/attributes.ts `scopeOfAttribute`); the consent page shows them.

/**
 * Scopes and the claims they release. Standard claim names (OIDC Core §5.1,
 * §5.4); birth data and nationality after OpenID Connect for Identity
 * Assurance 1.0 §4 (`birth_family_name`, `place_of_birth`, `nationalities`).
 */
export const scopeClaims = {
  // acr, amr and auth_time travel with every ID token: a service must always
  // know the trust level it got (DESIGN.md §3), not only when it asked.
  openid: ['sub', 'acr', 'amr', 'auth_time'],
  profile: [
    'given_name',
    'family_name',
    'birthdate',
    'birth_family_name',
    'place_of_birth',
    'nationalities',
    'locale',
    'updated_at',
  ],
  email: ['email', 'email_verified'],
  address: ['address'],
  phone: ['phone_number', 'phone_number_verified'],
  // OIDC4IA §5.8 (claims by scope): which of the data released by the other
  // scopes are verified, how and at which level. It adds no data of its own.
  verified_claims: ['verified_claims'],
} as const;

export type Scope = keyof typeof scopeClaims;

export const supportedScopes = Object.keys(scopeClaims) as Scope[];

export function isScope(value: string): value is Scope {
  return Object.hasOwn(scopeClaims, value);
}

/** Every claim the given scopes release. */
export function claimsOfScopes(scopes: Iterable<string>): Set<string> {
  return new Set([...scopes].flatMap((scope) => (isScope(scope) ? [...scopeClaims[scope]] : [])));
}
