/**
 * Exports `EidServerError` and `EidServerErrorCode`: every refusal of what an
 * eID-Server (or, in the simulator, an eService) sent us, and every transport
 * failure. `code` is short and stable for logs and the error catalogue; the
 * message names elements at most and never repeats the input. The flows show
 * all of them as `eid.error.technical` (design notes §3).
 */
export type EidServerErrorCode =
  /** The hardened XML parser refused the document (detail: its code: dtd, too_large, too_deep, …). */
  | 'xml'
  /** Not a SOAP 1.1 Envelope with one Header at most and exactly one Body holding exactly one element. */
  | 'envelope'
  /** The message does not match the TR-03130 element structure or value formats. */
  | 'schema'
  /** The Body holds a SOAP Fault. */
  | 'fault'
  /** WS-Security: missing, misshapen or not verifying with the pinned certificate. */
  | 'signature'
  /** WS-Security Timestamp expired, from the future or missing. */
  | 'timestamp'
  /** ResultMajor unknown, or an answer that contradicts its Result. */
  | 'result'
  /** The answer is not the one to our request (another Session, PSK or counter). */
  | 'mismatch'
  | 'too_large'
  | 'timeout'
  | 'redirect'
  | 'http_status'
  | 'content_type'
  | 'network';

export class EidServerError extends Error {
  readonly code: EidServerErrorCode;
  constructor(code: EidServerErrorCode, detail?: string) {
    super(detail ? `${code}: ${detail}` : code);
    this.name = 'EidServerError';
    this.code = code;
  }
}
