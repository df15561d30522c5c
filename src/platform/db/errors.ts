/** PostgreSQL's unique_violation (SQLSTATE 23505): two writers raced for the same key. */
/** Whether a database error carries this SQLSTATE (pg and PGlite both put it in `code`). */
function hasSqlState(error: unknown, sqlState: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === sqlState;
}

export function isUniqueViolation(error: unknown): boolean {
  return hasSqlState(error, '23505');
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

/**
 * Whether a value holds NUL: a string, or any string inside arrays and plain
 * objects (names included), which `pg` and PGlite send as JSON, where jsonb
 * refuses the escaped NUL as well (SQLSTATE 22P05).
 */
export function holdsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some(holdsNul);
  if (isPlainObject(value))
    return Object.entries(value).some(([name, inner]) => name.includes('\u0000') || holdsNul(inner));
  return false;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * Whether JSON text made by JSON.stringify holds NUL in a string or a name: JSON.stringify writes it as the escape
 * `\u0000` (ECMA-262 QuoteJSONString), and a backslash of the content as `\\`, so the escape counts only where an
 * even number of backslashes stands before it. One scan of text made anyway, instead of a walk over the object.
 */
export function jsonHoldsNul(json: string): boolean {
  return json.includes('\\u0000') && /(?<!\\)(?:\\\\)*\\u0000/.test(json);
}

/** Throws NulInParameterError when a parameter holds NUL (see holdsNul). */
export function refuseNul(params: readonly unknown[] | undefined): void {
  if (params?.some(holdsNul)) throw new NulInParameterError();
}

/**
 * Runs a query with refuseNul first. A NUL that arrives inside a JSON text
 * (an escaped \u0000 in a string parameter cast to jsonb) is seen only by
 * the database: its untranslatable_character (SQLSTATE 22P05) is the same
 * bad request, not a server error.
 */
export async function queryRefusingNul<T>(params: readonly unknown[] | undefined, run: () => Promise<T>): Promise<T> {
  refuseNul(params);
  try {
    return await run();
  } catch (error) {
    if (hasSqlState(error, '22P05')) throw new NulInParameterError();
    throw error;
  }
}
