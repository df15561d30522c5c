import { levelOfAcr } from './acr.ts';
import type { AttributeName, IdentityAttribute } from '../identity/attributes.ts';
import type { Level } from './limits.ts';

/**
 * The level a login must reach for a service: the lowest of the levels it
 * lists in `acr_values` (any of them satisfies it, OIDC Core §3.1.2.1), but
 * never below the service's configured minimum, which holds even when the
 * service asks for less (DESIGN.md §3). Unknown values are ignored.
 */
export function requiredLevel(acrValues: unknown, minLevel: number): Level {
  const asked = typeof acrValues === 'string' ? acrValues.split(' ').flatMap((v) => levelOfAcr(v) ?? []) : [];
  const fromRequest = asked.length > 0 ? Math.min(...asked) : 1;
  return Math.max(fromRequest, Math.min(4, Math.max(1, minLevel))) as Level;
}

const coreAttributes: readonly AttributeName[] = ['given_name', 'family_name', 'birthdate'];

/** The level of the account's core identity data: the weakest of names and birth date (1 when missing). */
export function identityLevel(attributes: Map<AttributeName, IdentityAttribute>): Level {
  return Math.min(...coreAttributes.map((name) => attributes.get(name)?.trustLevel ?? 1)) as Level;
}
