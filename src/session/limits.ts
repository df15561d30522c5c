/** Trust levels 1..4: basis, niedrig, substanziell, hoch (DESIGN.md §3). */
export type Level = 1 | 2 | 3 | 4;

/**
 * Longest session and longest inactivity per level, BSI TR-03160-1 table 2:
 * up to niedrig 12 h / 60 min, substanziell 2 h / 30 min, hoch 30 min / 5 min.
 */
export function sessionLimits(level: Level): { maxSeconds: number; idleSeconds: number } {
  if (level >= 4) return { maxSeconds: 30 * 60, idleSeconds: 5 * 60 };
  if (level === 3) return { maxSeconds: 2 * 3600, idleSeconds: 30 * 60 };
  return { maxSeconds: 12 * 3600, idleSeconds: 60 * 60 };
}
