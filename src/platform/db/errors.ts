/** PostgreSQL's unique_violation (SQLSTATE 23505): two writers raced for the same key. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}

/**
 * PostgreSQL text cannot hold the NUL character ("invalid byte sequence for
 * encoding UTF8: 0x00"), so a parameter with one is input nobody can have
 * meant: refused as a bad request (400 via its statusCode) before the query,
 * instead of a database error (500).
 */
export class NulInParameterError extends Error {
  readonly statusCode = 400;
  constructor() {
    super('a query parameter contains the NUL character');
    this.name = 'NulInParameterError';
  }
}

function holdsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some(holdsNul);
  return false;
}

/** Throws NulInParameterError when a string parameter (or a string in an array parameter) contains NUL. */
export function refuseNul(params: readonly unknown[] | undefined): void {
  if (params?.some(holdsNul)) throw new NulInParameterError();
}
