import { identityRow, type GuestRow } from '../flows/guest/release.ts';
import type { AttributeName } from '../identity/attributes.ts';
import { identityFromCard } from '../methods/eid/identity.ts';
import type { EidReading } from '../methods/eid/transaction-repository.ts';
import { claimsOfScopes, identityClaims, type Claims } from './claims.ts';

const scopeAttributes: Readonly<Record<string, readonly AttributeName[]>> = {
  profile: ['given_name', 'family_name', 'birthdate', 'birth_family_name', 'place_of_birth', 'nationality'],
  address: ['street_address', 'postal_code', 'locality', 'country'],
};

/** The consent page's lines of an OIDC guest login: per requested scope. */
export function guestOidcRows(reading: EidReading, scopes: readonly string[]): GuestRow[] {
  const values = identityFromCard(reading).values;
  return scopes.flatMap((scope) => (scopeAttributes[scope] ?? []).map((name) => identityRow(values, name)));
}

/**
 * The claims of the granted scopes (oidc-provider filters once more); no `sub` here, oidc-provider makes it from the
 * guest id.
 */
export function guestOidcClaims(reading: EidReading, scopes: readonly string[]): Claims {
  const values = identityFromCard(reading).values;
  const wanted = claimsOfScopes(scopes);
  return Object.fromEntries(
    Object.entries(identityClaims((name) => values[name])).filter(([claim]) => wanted.has(claim)),
  );
}
