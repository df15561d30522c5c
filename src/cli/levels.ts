/** The levels as operators and the README name them (DESIGN.md §3; eIDAS: low, substantial, high). */
const names = { 1: 'basis', 2: 'niedrig', 3: 'substanziell', 4: 'hoch' } as const;

export const levelName = (level: number): string => names[level as keyof typeof names] ?? String(level);

/** `--min-level`: a number 1 to 4. */
export const minLevelProblem = '--min-level must be 1 (basis), 2 (niedrig), 3 (substanziell) or 4 (hoch)';
