import type { AttributeName, IdentityAttribute } from '../identity/attributes.ts';
import type { Level } from '../session/limits.ts';
import { claimsOfScopes, identityClaims } from './claims.ts';
import type { StoredEvidence } from './evidence-repository.ts';
import { checkMethodsSupported, documentsSupported, evidenceFor, schemaTime } from './verification-evidence.ts';

/**
 * Trust framework of every `verification` (OIDF eKYC-IDA predefined value
 * "eidas": identities attested in accordance with eIDAS). Our levels are the
 * eIDAS levels of assurance, through the mapping of DESIGN.md §3.
 */
export const trustFramework = 'eidas';

/** eIDAS level names for our levels (DESIGN.md §3); basis (1) has none and is never released as verified. */
const assuranceLevels: Record<Level, string | undefined> = { 1: undefined, 2: 'low', 3: 'substantial', 4: 'high' };

/**
 * The claim an attribute is part of. Telephone number and e-mail are proven
 * by possession, not by identity proofing, so they have none.
 */
const claimOfAttribute: Partial<Record<AttributeName, string>> = {
  given_name: 'given_name',
  family_name: 'family_name',
  birthdate: 'birthdate',
  birth_family_name: 'birth_family_name',
  place_of_birth: 'place_of_birth',
  nationality: 'nationalities',
  street_address: 'address',
  postal_code: 'address',
  locality: 'address',
  country: 'address',
};

/** OIDC4IA §8: claims absent from this list are never returned inside `verified_claims`. */
export const claimsInVerifiedClaims = [...new Set(Object.values(claimOfAttribute))];

/** OP metadata of OIDC4IA §8, added to discovery through oidc-provider's `discovery` option. */
export const verifiedClaimsDiscovery = {
  // Required until implementer's draft 4, dropped by the final text; kept
  // because relying parties written against the drafts look for it.
  verified_claims_supported: true,
  trust_frameworks_supported: [trustFramework],
  claims_in_verified_claims_supported: claimsInVerifiedClaims,
  evidence_supported: ['document'],
  documents_supported: documentsSupported,
  documents_check_methods_supported: checkMethodsSupported,
};

export interface VerifiedClaimsInput {
  attributes: Map<AttributeName, IdentityAttribute>;
  evidence: Map<AttributeName, StoredEvidence>;
  /** The level of the login the token comes from; undefined when unknown, which releases nothing. */
  sessionLevel: Level | undefined;
  /** The scopes granted for this response: only their claims may appear. */
  scopes: Iterable<string>;
}

interface Group {
  level: Level;
  verification: Record<string, unknown>;
  names: Set<AttributeName>;
}

/**
 * The `verified_claims` array (OpenID Identity Assurance Schema Definition
 * 1.0 §5.2: one object per verification). An attribute appears only if it was
 * verified (never typed-in data), only if a granted scope releases its claim,
 * and at min(its own level, the login's level) (DESIGN.md §3); attributes
 * verified in the same process and ending at the same level share one object.
 * Undefined when nothing qualifies (OIDC4IA §5.7.2: unavailable data are omitted).
 */
export function verifiedClaims(input: VerifiedClaimsInput): Record<string, unknown>[] | undefined {
  if (input.sessionLevel === undefined) return undefined;
  const granted = claimsOfScopes(input.scopes);
  const groups = new Map<string, Group>();
  for (const attribute of input.attributes.values()) {
    const claim = claimOfAttribute[attribute.name];
    if (attribute.source === 'typed' || !claim || !granted.has(claim)) continue;
    const level = Math.min(attribute.trustLevel, input.sessionLevel) as Level;
    const assuranceLevel = assuranceLevels[level];
    if (!assuranceLevel) continue;
    const evidence = evidenceFor(attribute.source, input.evidence.get(attribute.name), attribute.verifiedAt);
    const verification = {
      trust_framework: trustFramework,
      assurance_level: assuranceLevel,
      ...(attribute.verifiedAt ? { time: schemaTime(attribute.verifiedAt) } : {}),
      ...(evidence ? { evidence } : {}),
    };
    const key = JSON.stringify(verification);
    const group = groups.get(key) ?? { level, verification, names: new Set<AttributeName>() };
    group.names.add(attribute.name);
    groups.set(key, group);
  }
  if (groups.size === 0) return undefined;
  // Highest level first, then oldest verification: a stable order for services.
  const ordered = [...groups.values()].sort(
    (a, b) => b.level - a.level || String(a.verification.time ?? '').localeCompare(String(b.verification.time ?? '')),
  );
  return ordered.map((group) => ({
    verification: group.verification,
    claims: identityClaims((name) => (group.names.has(name) ? input.attributes.get(name)?.value : undefined)),
  }));
}
