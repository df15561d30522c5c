import type { Level } from './limits.ts';

/** OIDC `acr` values per trust level (DESIGN.md §3). */
export const acrByLevel: Record<Level, string> = {
  1: 'urn:servicekonto:loa:basis',
  2: 'http://eidas.europa.eu/LoA/low',
  3: 'http://eidas.europa.eu/LoA/substantial',
  4: 'http://eidas.europa.eu/LoA/high',
};

export const acrValues = Object.values(acrByLevel);

const levelByAcr = new Map<string, Level>(
  Object.entries(acrByLevel).map(([level, acr]) => [acr, Number(level) as Level]),
);

/** The level an `acr` value stands for; undefined for values not ours. */
export function levelOfAcr(acr: string | undefined): Level | undefined {
  return acr === undefined ? undefined : levelByAcr.get(acr);
}
