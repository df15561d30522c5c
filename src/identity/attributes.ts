/**
 * Identity data the citizen can hold, each with its own trust level and
 * source (DESIGN.md §3). Typed-in data have level 1 (basis).
 */
export const attributeNames = [
  'given_name',
  'family_name',
  'birthdate',
  'birth_family_name',
  'place_of_birth',
  'nationality',
  'street_address',
  'postal_code',
  'locality',
  'country',
  'phone_number',
] as const;

export type AttributeName = (typeof attributeNames)[number];

export type AttributeSource = 'typed' | 'eid' | 'clerk' | 'upstream' | 'wallet';

export interface IdentityAttribute {
  name: AttributeName;
  value: string;
  trustLevel: 1 | 2 | 3 | 4;
  source: AttributeSource;
  verifiedAt: Date | null;
}

export function isAttributeName(name: string): name is AttributeName {
  return (attributeNames as readonly string[]).includes(name);
}
