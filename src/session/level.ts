import type { AttributeName, IdentityAttribute } from '../identity/attributes.ts';
import type { Level } from './limits.ts';
import { identityLevel } from './required-level.ts';

/**
 * The level of a login is the level of the means used, capped by the level of
 * the identity data in the account: a password login on self-entered data is
 * level 1, as at BundID (DESIGN.md §3).
 */
export function loginLevel(meansLevel: Level, attributes: Map<AttributeName, IdentityAttribute>): Level {
  return Math.min(meansLevel, identityLevel(attributes)) as Level;
}
