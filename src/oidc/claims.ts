import type { Account } from '../identity/account-repository.ts';
import type { AttributeName, IdentityAttribute } from '../identity/attributes.ts';

// Scopes are the consent groups of both protocols (login/scopes.ts); OIDC code keeps this path.
export { claimsOfScopes, isScope, scopeClaims, supportedScopes, type Scope } from '../login/scopes.ts';

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
    const formatted = [
      address.street_address,
      [address.postal_code, address.locality].filter(Boolean).join(' '),
      address.country,
    ]
      .filter(Boolean)
      .join('\n');
    claims.address = { ...Object.fromEntries(Object.entries(address).filter(([, v]) => v)), formatted };
  }
  return claims;
}

/** Builds every claim the account can provide; oidc-provider then keeps only the granted ones. */
export function accountClaims(
  account: Account,
  attributes: Map<AttributeName, IdentityAttribute>,
  sub: string,
): Claims & { sub: string } {
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
