/**
 * Exports `createSoapTransport(options)` → `SoapTransport` and the types
 * `SoapTransport`, `SoapTransportOptions`, `SoapTlsOptions`, `SoapHttpResponse`:
 * one SOAP 1.1 POST to the eID-Server over node:https, with TLS client
 * authentication (TR-03130-1 §3.5.1; design notes §5 `soap/transport.ts`).
 *
 * - TLS 1.2 at least, the server certificate always verified
 *   (`rejectUnauthorized`), against `tls.ca` only when it is set, else Node's
 *   default trust store; our certificate and key (`tls.cert`/`tls.key`) are
 *   presented when the server asks. One keep-alive agent per transport.
 * - http only with `allowHttp` (development with the simulator).
 * - No redirects, one total timeout (default 10 s) from the start of the
 *   connection to the last byte of the answer, the body capped while
 *   streaming (default 256 KiB; a larger Content-Length is refused unread),
 *   the body decoded as UTF-8 strictly.
 *
 * Every failure is an `EidServerError` whose detail is a stable code (an
 * error code such as ECONNREFUSED or CERT_HAS_EXPIRED), never the peer's text.
 * Status, content type and body are judged by the caller (`../client.ts`).
 */
import { X509Certificate } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { createSecureContext } from 'node:tls';
import { EidServerError } from './errors.ts';

/** PEM text, not file names (the configuration reads EID_CLIENT_TLS_CERT, EID_CLIENT_TLS_KEY and EID_SERVER_CA). */
export interface SoapTlsOptions {
  /** Our TLS client certificate (chain), PEM. */
  cert?: string;
  /** Its private key, PEM. */
  key?: string;
  /**
   * The trust anchor(s) for the eID-Server's TLS certificate, PEM; when set, nothing else is trusted.
   * Unset: Node's default store (its bundled Mozilla roots, NODE_EXTRA_CA_CERTS, and the
   * operating system's store when Node runs with --use-system-ca).
   */
  ca?: string;
}

export interface SoapTransportOptions {
  tls?: SoapTlsOptions;
  /** The whole exchange, connect to last byte (default 10 000). */
  timeoutMs?: number;
  /** The largest body read (default 256 KiB). */
  maxBytes?: number;
  /** Allow http URLs (development with the simulator only). */
  allowHttp?: boolean;
}

export interface SoapHttpResponse {
  status: number;
  /** The Content-Type header as sent, '' when absent. */
  contentType: string;
  text: string;
}

/**
 * POSTs `body` with `SOAPAction: "<action>"`; a 3xx, a timeout, an oversized or non-UTF-8 body and every network or TLS
 * failure reject with an EidServerError.
 */
export type SoapTransport = (url: URL, action: string, body: string) => Promise<SoapHttpResponse>;

export const soapTransportDefaults = { timeoutMs: 10_000, maxBytes: 256 * 1024 } as const;

export function createSoapTransport(options: SoapTransportOptions = {}): SoapTransport {
  const timeoutMs = options.timeoutMs ?? soapTransportDefaults.timeoutMs;
  const maxBytes = options.maxBytes ?? soapTransportDefaults.maxBytes;
  const tls = options.tls ?? {};
  if (!tls.cert !== !tls.key)
    throw new Error('eID-Server TLS: a client certificate needs its key and a key its certificate');
  const tlsOptions = {
    minVersion: 'TLSv1.2',
    rejectUnauthorized: true,
    ...(tls.cert && tls.key && { cert: tls.cert, key: tls.key }),
    ...(tls.ca && { ca: tls.ca }),
  } as const;
  try {
    // Fails now, at start-up, rather than at the first login: unreadable PEM, a key that does not match the
    // certificate.
    // (OpenSSL skips text in `ca` that holds no certificate, which would trust nothing and fail every call later.)
    if (tls.ca !== undefined) certificates(tls.ca);
    if (tls.cert !== undefined) certificates(tls.cert);
    createSecureContext(tlsOptions);
  } catch (error) {
    throw new Error(
      'eID-Server TLS: the client certificate, key or trust anchor does not load (PEM, or a key that does not match the certificate)',
      { cause: error },
    );
  }
  const httpsAgent = new https.Agent({ keepAlive: true, ...tlsOptions });
  const httpAgent = options.allowHttp ? new http.Agent({ keepAlive: true }) : undefined;

  return (url, action, body) => {
    let request: typeof https.request;
    let agent: http.Agent;
    if (url.protocol === 'https:') {
      request = https.request;
      agent = httpsAgent;
    } else if (url.protocol === 'http:' && httpAgent) {
      request = http.request;
      agent = httpAgent;
    } else {
      return Promise.reject(new EidServerError('tls', 'not https'));
    }
    const payload = Buffer.from(body, 'utf8');
    return new Promise<SoapHttpResponse>((resolve, reject) => {
      let settled = false;
      const req = request(url, {
        method: 'POST',
        agent,
        headers: {
          'Content-Type': 'text/xml; charset=utf-8',
          'Content-Length': String(payload.byteLength),
          SOAPAction: `"${action}"`,
          Accept: 'text/xml',
        },
      });
      const timer = setTimeout(() => fail(new EidServerError('timeout')), timeoutMs);

      function fail(error: EidServerError): void {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        // The connection is in an unknown state (or the peer is hostile): never back into the pool.
        req.destroy();
        reject(error);
      }
      function succeed(response: SoapHttpResponse): void {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(response);
      }

      req.on('error', (error) => fail(transportError(error)));
      req.on('response', (res) => {
        const status = res.statusCode ?? 0;
        if (status >= 300 && status < 400) return fail(new EidServerError('redirect'));
        const declared = Number(res.headers['content-length'] ?? '0');
        if (declared > maxBytes) return fail(new EidServerError('too_large'));
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.byteLength;
          if (size > maxBytes) return fail(new EidServerError('too_large'));
          chunks.push(chunk);
        });
        res.on('error', (error) => fail(transportError(error)));
        res.on('end', () => {
          if (!res.complete) return fail(new EidServerError('network', 'incomplete'));
          let text: string;
          try {
            text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
          } catch {
            return fail(new EidServerError('xml', 'not UTF-8'));
          }
          succeed({ status, contentType: res.headers['content-type'] ?? '', text });
        });
        // Closed before 'end' (the peer cut the body short): not an answer.
        res.on('close', () => fail(new EidServerError('network', 'incomplete')));
      });
      req.end(payload);
    });
  };
}

/** Parses each PEM certificate in `pem`; throws when there is none or one does not parse. */
function certificates(pem: string): X509Certificate[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) throw new Error('no PEM certificate');
  return blocks.map((block) => new X509Certificate(block));
}

/**
 * Node reports certificate verification failures with OpenSSL's X509_V_ERR
 * names (CERT_HAS_EXPIRED, UNABLE_TO_VERIFY_LEAF_SIGNATURE, …), alerts and
 * handshake failures as ERR_SSL_* or EPROTO, a name mismatch as
 * ERR_TLS_CERT_ALTNAME_INVALID.
 *
 * A server that drops the connection without an alert after refusing our
 * certificate (Node's own https servers do) is indistinguishable from any
 * other reset and stays 'network' (ECONNRESET).
 */
const tlsCode =
  /^(ERR_SSL_|ERR_TLS_|ERR_OSSL_)|^EPROTO$|CERT|CRL|^UNABLE_TO_|^INVALID_CA$|^INVALID_PURPOSE$|^PATH_LENGTH_EXCEEDED$|^HOSTNAME_MISMATCH$/;

function transportError(error: unknown): EidServerError {
  if (error instanceof EidServerError) return error;
  const raw = (error as { code?: unknown } | null)?.code;
  const code = typeof raw === 'string' && /^[A-Z0-9_]{1,80}$/.test(raw) ? raw : undefined;
  if (code && tlsCode.test(code)) return new EidServerError('tls', code);
  return new EidServerError('network', code);
}
