import type { AttributeName, IdentityAttribute } from '../identity/attributes.ts';
import type { Level } from './limits.ts';

/** The core identity data whose level caps a login (DESIGN.md §3). */
const coreAttributes: readonly AttributeName[] = ['given_name', 'family_name', 'birthdate'];

/**
 * The level of a login is the level of the means used, capped by the level of
 * the identity data in the account: a password login on self-entered data is
 * level 1, as at BundID (DESIGN.md §3).
 */
export function loginLevel(meansLevel: Level, attributes: Map<AttributeName, IdentityAttribute>): Level {
  const identityLevel = Math.min(...coreAttributes.map((name) => attributes.get(name)?.trustLevel ?? 1)) as Level;
  return Math.min(meansLevel, identityLevel) as Level;
}
