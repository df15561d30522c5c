/**
 * Exports `guestRows`, `guestOidcClaims` and `guestSamlAttributes`: the data
 * of a guest login, from the card read, in the terms of each protocol and of
 * the consent page. Only what the service asked for; never a pseudonym, an
 * e-mail address or a postbox (there is no account to have them).
 */
import type { AttributeName } from '../../identity/attributes.ts';
import { identityFromCard } from '../../methods/eid/identity.ts';
import type { EidReading } from '../../methods/eid/transactions.ts';
import { claimsOfScopes, identityClaims, type Claims } from '../../oidc/claims.ts';
import { classRefFor } from '../../saml/profile/authn-context.ts';
import { identityAttributeOf, interfaceVersion, urn, type ReleasedAttribute } from '../../saml/profile/attributes.ts';
import type { Level } from '../../session/limits.ts';
import type { MessageId } from '../../text/index.ts';

/** One line of the consent page: what, and the value read (undefined: not on the card). */
export interface GuestRow {
  label: MessageId;
  value: string | undefined;
}

const scopeAttributes: Readonly<Record<string, readonly AttributeName[]>> = {
  profile: ['given_name', 'family_name', 'birthdate', 'birth_family_name', 'place_of_birth', 'nationality'],
  address: ['street_address', 'postal_code', 'locality', 'country'],
};

/** The card's own items that are no identity attribute of ours. */
function cardItem(name: string, reading: EidReading): { label: MessageId; value: string | undefined } | undefined {
  const d = reading.personalData;
  const present = (value: string | undefined) => (value !== undefined && value.trim() !== '' ? value.trim() : undefined);
  if (name === urn.documentType) return { label: 'eid.op.DocumentType', value: present(d.documentType) };
  if (name === urn.title) return { label: 'eid.op.AcademicTitle', value: present(d.academicTitle) };
  if (name === urn.communityId) return { label: 'eid.op.CommunityID', value: present(d.communityId) };
  return undefined;
}

/** The consent page's lines: per OIDC scope, or per requested SAML attribute (login facts are not data of the card). */
export function guestRows(reading: EidReading, asked: { scopes: readonly string[] } | { attributes: readonly { name: string }[] }): GuestRow[] {
  const values = identityFromCard(reading).values;
  const identity = (name: AttributeName): GuestRow => ({ label: `attr.${name}` as MessageId, value: values[name] });
  if ('scopes' in asked) return asked.scopes.flatMap((scope) => (scopeAttributes[scope] ?? []).map(identity));
  const seen = new Set<string>();
  return asked.attributes.flatMap((a) => {
    const name = identityAttributeOf(a.name);
    const row = name ? identity(name) : cardItem(a.name, reading);
    if (!row || seen.has(row.label)) return [];
    seen.add(row.label);
    return [row];
  });
}

/** The claims of the granted scopes (oidc-provider filters once more); no `sub` here, oidc-provider makes it from the guest id. */
export function guestOidcClaims(reading: EidReading, scopes: readonly string[]): Claims {
  const values = identityFromCard(reading).values;
  const wanted = claimsOfScopes(scopes);
  return Object.fromEntries(Object.entries(identityClaims((name) => values[name])).filter(([claim]) => wanted.has(claim)));
}

/** ICAO 9303 writes Germany as "D" (PROFILES.md §1), as saml/profile/attributes.ts does for accounts. */
const icaoNationality = (value: string) => (value === 'DE' ? 'D' : value);

/**
 * The requested attributes the guest login can answer, each at the level of
 * the reading; `missing` lists required ones it cannot (AKDB
 * RequiredAttribute, answered RequestDenied).
 */
export function guestSamlAttributes(reading: EidReading, requested: readonly { name: string; required: boolean }[], level: Level): { released: ReleasedAttribute[]; missing: string[] } {
  const values = identityFromCard(reading).values;
  const valueOf = (name: string): string | undefined => {
    const identity = identityAttributeOf(name);
    if (identity) {
      const value = values[identity];
      return value !== undefined && identity === 'nationality' ? icaoNationality(value) : value;
    }
    const item = cardItem(name, reading);
    if (item) return item.value;
    switch (name) {
      case urn.citizenQaaLevel:
        return classRefFor(level, 'stork');
      case urn.interfaceVersion:
        return interfaceVersion;
      case urn.assertionProvedBy:
        return 'eID';
      case urn.mfa:
        // Card (or Smart-eID) and PIN: two factors (methods/eid/service.ts eidAmr).
        return 'true';
      default:
        // bPK2, postbox handle, e-mail, telephone, gender: not without an account.
        return undefined;
    }
  };
  const released: ReleasedAttribute[] = [];
  const missing: string[] = [];
  for (const a of requested) {
    const value = valueOf(a.name);
    if (value !== undefined) released.push({ name: a.name, value, trustLevel: level });
    else if (a.required) missing.push(a.name);
  }
  return { released, missing };
}
