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
  /** The answer is larger than the cap (declared or while streaming). */
  | 'too_large'
  /** No complete answer within the total time (connect, TLS, request and response). */
  | 'timeout'
  /** A 3xx answer: redirects are never followed. */
  | 'redirect'
  /** Not 200 (a SOAP Fault with 500 is 'fault' when it parses; detail: the status). */
  | 'http_status'
  /** Not text/xml. */
  | 'content_type'
  /**
   * TLS refused (TR-03130-1 §3.5.1): no https where it is required, the server certificate does not
   * verify against the trust anchor or does not name the host, or the server refused our client
   * certificate with an alert (detail: Node's or OpenSSL's error code, e.g. CERT_HAS_EXPIRED).
   */
  | 'tls'
  /** Connection refused, reset or closed early, name resolution failed (detail: the error code, e.g. ECONNREFUSED). */
  | 'network';

export class EidServerError extends Error {
  readonly code: EidServerErrorCode;
  constructor(code: EidServerErrorCode, detail?: string) {
    super(detail ? `${code}: ${detail}` : code);
    this.name = 'EidServerError';
    this.code = code;
  }
}
