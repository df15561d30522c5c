import type { Account } from '../../identity/account-repository.ts';
import type { AttributeName, IdentityAttribute } from '../../identity/attributes.ts';
import type { Scope } from '../../login/scopes.ts';
import type { Level } from '../../session/limits.ts';
import { identityLevel } from '../../session/required-level.ts';
import { classRefFor } from './authn-context.ts';

/** BundID attribute names (PROFILES.md §1); matched by Name only, never by FriendlyName. */
export const urn = {
  givenName: 'urn:oid:2.5.4.42',
  familyName: 'urn:oid:2.5.4.4',
  email: 'urn:oid:0.9.2342.19200300.100.1.3',
  streetAddress: 'urn:oid:2.5.4.16',
  postalCode: 'urn:oid:2.5.4.17',
  locality: 'urn:oid:2.5.4.7',
  country: 'urn:oid:1.2.40.0.10.2.1.1.225599',
  title: 'urn:oid:0.9.2342.19200300.100.1.40',
  gender: 'urn:oid:1.3.6.1.4.1.33592.1.3.5',
  birthdate: 'urn:oid:1.2.40.0.10.2.1.1.55',
  placeOfBirth: 'urn:oid:1.3.6.1.5.5.7.9.2',
  birthName: 'urn:oid:1.2.40.0.10.2.1.1.225566',
  nationality: 'urn:oid:1.2.40.0.10.2.1.1.225577',
  documentType: 'urn:oid:1.2.40.0.10.2.1.1.552255',
  telephone: 'urn:oid:2.5.4.20',
  communityId: 'urn:oid:1.3.6.1.4.1.25484.494450.5',
  bpk2: 'urn:oid:1.3.6.1.4.1.25484.494450.3',
  citizenQaaLevel: 'urn:oid:1.2.40.0.10.2.1.1.261.94',
  interfaceVersion: 'urn:oid:1.3.6.1.4.1.25484.494450.1',
  assertionProvedBy: 'urn:oid:1.3.6.1.4.1.25484.494450.2',
  postboxHandle: 'urn:oid:2.5.4.18',
  mfa: 'urn:oid:1.3.6.1.4.1.25484.494450.7',
} as const;

/** Every name the profile defines; a request for anything else is not ours to answer. */
export const knownAttributeNames: ReadonlySet<string> = new Set(Object.values(urn));

/** `akdb:TrustLevel` per level; the mapping to 1..4 is marked (unverified) in PROFILES.md §1. */
export const trustLevelName: Record<Level, string> = { 1: 'UNTERGEORDNET', 2: 'NORMAL', 3: 'SUBSTANTIELL', 4: 'HOCH' };

/** The value our interface version announces (unverified: BundID publishes it to registered services only). */
export const interfaceVersion = '2';

const fromIdentity: Partial<Record<string, AttributeName>> = {
  [urn.givenName]: 'given_name',
  [urn.familyName]: 'family_name',
  [urn.birthdate]: 'birthdate',
  [urn.birthName]: 'birth_family_name',
  [urn.placeOfBirth]: 'place_of_birth',
  [urn.nationality]: 'nationality',
  [urn.streetAddress]: 'street_address',
  [urn.postalCode]: 'postal_code',
  [urn.locality]: 'locality',
  [urn.country]: 'country',
  [urn.telephone]: 'phone_number',
};

/** Our identity attribute behind a profile name, if any. */
export function identityAttributeOf(name: string): AttributeName | undefined {
  return fromIdentity[name];
}

/**
 * The consent group of an attribute: the same groups as the OIDC scopes, so
 * one consent record serves both protocols (DESIGN.md §5a). Login facts
 * (pseudonym, level, means) belong to `openid`, which every login releases.
 */
export function scopeOfAttribute(name: string): Scope {
  if (name === urn.email) return 'email';
  if (name === urn.telephone) return 'phone';
  if ([urn.streetAddress, urn.postalCode, urn.locality, urn.country].includes(name as never)) return 'address';
  if (fromIdentity[name] || [urn.title, urn.gender, urn.documentType, urn.communityId].includes(name as never))
    return 'profile';
  return 'openid';
}

export interface ReleasedAttribute {
  name: string;
  value: string;
  trustLevel: Level;
}

export interface ReleaseContext {
  account: Account;
  attributes: Map<AttributeName, IdentityAttribute>;
  sessionLevel: Level;
  amr: readonly string[];
  /** How the session began: `eid` or `password` (AssertionProvedBy). */
  method: string;
  /** The per-service pseudonym (DESIGN.md §4). */
  bpk2: string;
}

/** ICAO 9303 writes Germany as "D" (PROFILES.md §1); other nationalities are passed as stored (unverified). */
const icaoNationality = (value: string) => (value === 'DE' ? 'D' : value);

/**
 * What the account can say for one attribute name, at most at the login's
 * level: min(the attribute's own level, the session's level) (DESIGN.md §3).
 * Undefined when the account has no value.
 */
export function attributeValue(name: string, ctx: ReleaseContext): ReleasedAttribute | undefined {
  const cap = (level: number) => Math.min(level, ctx.sessionLevel) as Level;
  const identity = fromIdentity[name];
  if (identity) {
    const attribute = ctx.attributes.get(identity);
    if (!attribute || attribute.value === '') return undefined;
    const value = identity === 'nationality' ? icaoNationality(attribute.value) : attribute.value;
    return { name, value, trustLevel: cap(attribute.trustLevel) };
  }
  switch (name) {
    case urn.email:
      // A confirmed address proves a mailbox, not an identity: basis.
      return ctx.account.emailVerifiedAt ? { name, value: ctx.account.email, trustLevel: 1 } : undefined;
    case urn.bpk2:
      return { name, value: ctx.bpk2, trustLevel: ctx.sessionLevel };
    case urn.citizenQaaLevel:
      return { name, value: classRefFor(identityLevel(ctx.attributes), 'stork'), trustLevel: ctx.sessionLevel };
    case urn.interfaceVersion:
      return { name, value: interfaceVersion, trustLevel: ctx.sessionLevel };
    case urn.assertionProvedBy:
      return { name, value: ctx.method === 'eid' ? 'eID' : 'Benutzername', trustLevel: ctx.sessionLevel };
    case urn.mfa:
      return { name, value: ctx.amr.includes('mfa') ? 'true' : 'false', trustLevel: ctx.sessionLevel };
    default:
      return undefined;
  }
}
