import { identityRow, type GuestRow } from '../../flows/guest/release.ts';
import { identityFromCard } from '../../methods/eid/identity.ts';
import type { EidReading } from '../../methods/eid/transaction-repository.ts';
import type { Level } from '../../session/limits.ts';
import type { MessageId } from '../../text/index.ts';
import { identityAttributeOf, interfaceVersion, urn, type ReleasedAttribute } from '../profile/attributes.ts';
import { classRefFor } from '../profile/authn-context.ts';

/** The card's own items that are no identity attribute of ours. */
function cardItem(name: string, reading: EidReading): { label: MessageId; value: string | undefined } | undefined {
  const d = reading.personalData;
  const present = (value: string | undefined) =>
    value !== undefined && value.trim() !== '' ? value.trim() : undefined;
  if (name === urn.documentType) return { label: 'eid.op.DocumentType', value: present(d.documentType) };
  if (name === urn.title) return { label: 'eid.op.AcademicTitle', value: present(d.academicTitle) };
  if (name === urn.communityId) return { label: 'eid.op.CommunityID', value: present(d.communityId) };
  return undefined;
}

/** The consent page's lines of a SAML guest login: per requested attribute (login facts are not data of the card). */
export function guestSamlRows(reading: EidReading, attributes: readonly { name: string }[]): GuestRow[] {
  const values = identityFromCard(reading).values;
  const seen = new Set<string>();
  return attributes.flatMap((a) => {
    const name = identityAttributeOf(a.name);
    const row = name ? identityRow(values, name) : cardItem(a.name, reading);
    if (!row || seen.has(row.label)) return [];
    seen.add(row.label);
    return [row];
  });
}

/** ICAO 9303 writes Germany as "D" (PROFILES.md §1), as saml/profile/attributes.ts does for accounts. */
const icaoNationality = (value: string) => (value === 'DE' ? 'D' : value);

/**
 * The requested attributes the guest login can answer, each at the level of
 * the reading; `missing` lists required ones it cannot (AKDB
 * RequiredAttribute, answered RequestDenied).
 */
export function guestSamlAttributes(
  reading: EidReading,
  requested: readonly { name: string; required: boolean }[],
  level: Level,
): { released: ReleasedAttribute[]; missing: string[] } {
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
