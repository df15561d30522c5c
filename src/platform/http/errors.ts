/**
 * The one error catalogue (STYLE.md habit 4): a stable code, the HTTP status,
 * the message id, and whether the message may be shown. Throw anywhere,
 * render once (see render-error.ts). Stacks and SQL errors are never shown.
 */
export const errorCatalogue = {
  bad_request: { status: 400, message: 'error.badRequest' },
  link_invalid: { status: 400, message: 'error.linkInvalid' },
  interaction_expired: { status: 400, message: 'error.interactionExpired' },
  /** A SAML message we cannot answer with a SAML Response (no trusted ACS yet); `detail` is one of our short codes. */
  saml_request_invalid: { status: 400, message: 'error.samlRequest' },
  /** The same for a LogoutRequest or LogoutResponse: worded for logout. */
  saml_logout_invalid: { status: 400, message: 'error.samlLogout' },
  /**
   * A SAML message signed (or digested) with an algorithm we do not accept, SHA-1 above all; names it and what we
   * accept.
   */
  saml_algorithm_not_allowed: { status: 400, message: 'error.samlAlgorithm' },
  session_expired: { status: 401, message: 'error.sessionExpired' },
  csrf_invalid: { status: 403, message: 'error.csrf' },
  /** The operator locked the account (`servicekonto user lock`); any method's login ends here. */
  account_locked: { status: 403, message: 'error.accountLocked' },
  not_found: { status: 404, message: 'error.notFound' },
  payload_too_large: { status: 413, message: 'error.tooLarge' },
  unsupported_media_type: { status: 415, message: 'error.unsupportedMedia' },
  rate_limited: { status: 429, message: 'error.rateLimited' },
  internal: { status: 500, message: 'error.internal' },
  unavailable: { status: 503, message: 'error.unavailable' },
  /** Too much password hashing at once (issue 13 §4); the client may retry after `seconds`. */
  busy: { status: 503, message: 'error.busy' },
} as const;

export type ErrorCode = keyof typeof errorCatalogue;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly params: Record<string, string | number>;
  readonly headers: Record<string, string>;
  constructor(code: ErrorCode, params: Record<string, string | number> = {}, headers: Record<string, string> = {}) {
    super(code);
    this.code = code;
    this.params = params;
    this.headers = headers;
  }
  get status(): number {
    return errorCatalogue[this.code].status;
  }
}

/** Maps anything thrown to a catalogue entry; unknown errors become `internal`. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const status = (error as { statusCode?: unknown }).statusCode;
  const fastifyCode = (error as { code?: unknown }).code;
  if (status === 413 || fastifyCode === 'FST_ERR_CTP_BODY_TOO_LARGE') return new AppError('payload_too_large');
  if (status === 415 || fastifyCode === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return new AppError('unsupported_media_type');
  if (status === 404) return new AppError('not_found');
  if (typeof status === 'number' && status >= 400 && status < 500) return new AppError('bad_request');
  return new AppError('internal');
}
