import type { Level } from '../../session/limits.ts';

/**
 * The level vocabulary of SAML requests (PROFILES.md §1): BundID's
 * `STORK-QAA-Level-1..4`, and the eIDAS LoA URIs for levels 2..4.
 */
const stork = (level: Level) => `STORK-QAA-Level-${level}`;
const eidas: Partial<Record<Level, string>> = {
  2: 'http://eidas.europa.eu/LoA/low',
  3: 'http://eidas.europa.eu/LoA/substantial',
  4: 'http://eidas.europa.eu/LoA/high',
};

export type Vocabulary = 'stork' | 'eidas';

export function levelOfClassRef(value: string): { level: Level; vocabulary: Vocabulary } | undefined {
  const match = /^STORK-QAA-Level-([1-4])$/.exec(value.trim());
  if (match) return { level: Number(match[1]) as Level, vocabulary: 'stork' };
  for (const [level, uri] of Object.entries(eidas))
    if (uri === value.trim()) return { level: Number(level) as Level, vocabulary: 'eidas' };
  return undefined;
}

export type RequestedContext =
  { ok: true; level: Level; vocabulary: Vocabulary } | { ok: false; problem: 'comparison_unsupported' };

/**
 * The level a request needs. Only `minimum` is part of the profile; `exact`
 * (the default when Comparison is absent, saml-core §3.3.2.2.1) is read as
 * minimum too, as BundID answers with the level actually reached anyway.
 * With several class refs the lowest counts (any of them satisfies the
 * request); unknown ones are ignored. Never below the service's minimum.
 */
export function requestedLevel(
  classRefs: readonly string[],
  comparison: string | undefined,
  minLevel: number,
): RequestedContext {
  if (comparison !== undefined && comparison !== 'minimum' && comparison !== 'exact')
    return { ok: false, problem: 'comparison_unsupported' };
  const known = classRefs.flatMap((ref) => levelOfClassRef(ref) ?? []);
  const lowest = known.length > 0 ? known.reduce((a, b) => (b.level < a.level ? b : a)) : undefined;
  const level = Math.max(lowest?.level ?? 1, Math.min(4, Math.max(1, minLevel))) as Level;
  return { ok: true, level, vocabulary: lowest?.vocabulary ?? 'stork' };
}

/** The class ref of the level actually reached, in the vocabulary of the request; level 1 has no eIDAS URI. */
export function classRefFor(level: Level, vocabulary: Vocabulary): string {
  return vocabulary === 'eidas' ? (eidas[level] ?? stork(level)) : stork(level);
}
