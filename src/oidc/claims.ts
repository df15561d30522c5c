import type { Account } from '../identity/accounts.ts';
import type { AttributeName, IdentityAttribute } from '../identity/attributes.ts';

/**
 * Scopes and the claims they release. Standard claim names (OIDC Core §5.1,
 * §5.4); birth data and nationality after OpenID Connect for Identity
 * Assurance 1.0 §4 (`birth_family_name`, `place_of_birth`, `nationalities`).
 */
export const scopeClaims = {
  // acr, amr and auth_time travel with every ID token: a service must always
  // know the trust level it got (DESIGN.md §3), not only when it asked.
  openid: ['sub', 'acr', 'amr', 'auth_time'],
  profile: ['given_name', 'family_name', 'birthdate', 'birth_family_name', 'place_of_birth', 'nationalities', 'locale', 'updated_at'],
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

export type Claims = Record<string, unknown>;

/**
 * The claims made of identity data (names, birth, nationality, address), from
 * whichever attributes `value` knows. Shared by the plain claims and by
 * `verified_claims`, so both spell a claim the same way.
 */
export function identityClaims(value: (name: AttributeName) => string | undefined): Claims {
  const claims: Claims = {};
  const set = (claim: string, v: unknown) => {
    if (v !== undefined && v !== '') claims[claim] = v;
  };
  set('given_name', value('given_name'));
  set('family_name', value('family_name'));
  set('birthdate', value('birthdate'));
  set('birth_family_name', value('birth_family_name'));
  const placeOfBirth = value('place_of_birth');
  if (placeOfBirth) claims.place_of_birth = { locality: placeOfBirth };
  const nationality = value('nationality');
  if (nationality) claims.nationalities = [nationality];
  const address = {
    street_address: value('street_address'),
    postal_code: value('postal_code'),
    locality: value('locality'),
    country: value('country'),
  };
  if (Object.values(address).some(Boolean)) {
    const formatted = [address.street_address, [address.postal_code, address.locality].filter(Boolean).join(' '), address.country].filter(Boolean).join('\n');
    claims.address = { ...Object.fromEntries(Object.entries(address).filter(([, v]) => v)), formatted };
  }
  return claims;
}

/** Builds every claim the account can provide; oidc-provider then keeps only the granted ones. */
export function accountClaims(account: Account, attributes: Map<AttributeName, IdentityAttribute>, sub: string): Claims & { sub: string } {
  const value = (name: AttributeName) => attributes.get(name)?.value;
  const claims: Claims & { sub: string } = {
    sub,
    email: account.email,
    email_verified: account.emailVerifiedAt !== null,
    locale: account.language,
    ...identityClaims(value),
  };
  const phone = value('phone_number');
  if (phone) {
    claims.phone_number = phone;
    claims.phone_number_verified = false;
  }
  const updated = [...attributes.values()].map((a) => a.verifiedAt?.getTime() ?? 0);
  if (updated.length > 0) claims.updated_at = Math.floor(Math.max(...updated, account.createdAt.getTime()) / 1000);
  return claims;
}
