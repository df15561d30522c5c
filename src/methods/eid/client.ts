/**
 * Exports `createEidClient(options)` → `EidClient` (`useID`, `getResult`,
 * `pollResult`) and the types `EidClientOptions`, `EidClient`, `PollOptions`:
 * the eService side of the TR-03130 eID-Interface.
 *
 * Every request is signed and every answer verified with WS-Security
 * (`soap/ws-security.ts`, TR-03130-1 §3.5.2); the answer is then read by the
 * strict readers. The transport (`soap/transport.ts`, node:https) presents our
 * TLS client certificate (`tls.cert`/`tls.key`, TR-03130-1 §3.5.1), trusts
 * only `tls.ca` for the server when it is set, and keeps the limits of design
 * notes §5: no redirects, a timeout (10 s), the body capped while streaming
 * (256 KiB), https unless `allowHttp` (set only outside production). This
 * file adds: `text/xml` only, 200 only (a SOAP Fault with 500 is read as one).
 * Every refusal is an `EidServerError`.
 */
import type { SigningKey } from '../../platform/xml/signing-key.ts';
import type { XmlElement } from '../../platform/xml/build.ts';
import { outcomeOf, type EidOutcome } from './result-codes.ts';
import { parseEnvelope } from './soap/envelope.ts';
import { EidServerError } from './soap/errors.ts';
import {
  checkAgainstRequest,
  getResultRequestElement,
  readGetResultResponse,
  type GetResultResponse,
} from './soap/get-result.ts';
import { soapActions } from './soap/namespaces.ts';
import type { UseOperations } from './soap/operations.ts';
import {
  createSoapTransport,
  type SoapHttpResponse,
  type SoapTlsOptions,
  type SoapTransport,
} from './soap/transport.ts';
import { readUseIdResponse, useIdRequestElement, type UseIdRequest, type UseIdResponse } from './soap/use-id.ts';
import { signEnvelope, verifyEnvelope } from './soap/ws-security.ts';

export interface EidClientOptions {
  /** EID_SERVER_URL: the eID-Server's SOAP endpoint. */
  serverUrl: string;
  /** Our WS-Security key and certificate (EID_SIGNING_KEY/CERT). */
  signingKey: SigningKey;
  /** The eID-Server's pinned signing certificate(s) (EID_SERVER_SIGNING_CERT). */
  serverCertificates: readonly string[];
  /** Allow an http URL (development with the simulator only). */
  allowHttp?: boolean;
  /**
   * TLS client authentication (TR-03130-1 §3.5.1): our client certificate and key, and the trust anchor for the
   * eID-Server's TLS certificate, all PEM.
   */
  tls?: SoapTlsOptions;
  /** Replaces the node:https transport (tests); `tls`, `timeoutMs` and `maxBytes` then go unused. */
  transport?: SoapTransport;
  /** The whole exchange, connect to last byte (default 10 s). */
  timeoutMs?: number;
  /** The largest answer read (default 256 KiB). */
  maxBytes?: number;
  now?: () => Date;
}

export interface PollOptions {
  sessionId: string;
  /**
   * The next RequestCounter, strictly greater than every earlier one for this session (kept by the caller, e.g. in the
   * transaction row).
   */
  nextCounter: () => number | Promise<number>;
  /** What useID asked for; an ok answer is checked against it. */
  useOperations: UseOperations;
  /** At most this many getResult calls (default 5) … */
  attempts?: number;
  /** … this far apart (default 600 ms). */
  intervalMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export interface EidClient {
  /** The useID answer; an error Result (e.g. tooManyOpenSessions) is returned, not thrown. */
  useID(request: UseIdRequest): Promise<UseIdResponse>;
  getResult(sessionId: string, requestCounter: number, useOperations?: UseOperations): Promise<GetResultResponse>;
  /** getResult until the answer is not noResultYet or the budget is spent; then `{ kind: 'pending' }`. */
  pollResult(options: PollOptions): Promise<EidOutcome>;
}

export function createEidClient(options: EidClientOptions): EidClient {
  const url = new URL(options.serverUrl);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && options.allowHttp))
    throw new Error('EID_SERVER_URL must be https');
  const transport =
    options.transport ??
    createSoapTransport({
      tls: options.tls,
      timeoutMs: options.timeoutMs,
      maxBytes: options.maxBytes,
      allowHttp: options.allowHttp,
    });
  const now = options.now ?? (() => new Date());

  async function call(action: string, message: XmlElement): Promise<Element> {
    const body = signEnvelope(message, options.signingKey, now());
    let response: SoapHttpResponse;
    try {
      response = await transport(url, action, body);
    } catch (error) {
      // An injected transport may throw anything; its text is not ours to show.
      throw error instanceof EidServerError ? error : new EidServerError('network');
    }
    if (response.status >= 300 && response.status < 400) throw new EidServerError('redirect');
    const isXml = /^text\/xml\s*(;|$)/.test(response.contentType.toLowerCase());
    // SOAP 1.1 §6.2: a Fault comes with HTTP 500.
    if (response.status === 500 && isXml) {
      parseEnvelope(response.text);
      throw new EidServerError('http_status', '500');
    }
    if (response.status !== 200) throw new EidServerError('http_status', String(response.status));
    if (!isXml) throw new EidServerError('content_type');
    return verifyEnvelope(response.text, options.serverCertificates, now()).message;
  }

  const client: EidClient = {
    async useID(request) {
      return readUseIdResponse(await call(soapActions.useID, useIdRequestElement(request)), request.psk);
    },
    async getResult(sessionId, requestCounter, useOperations) {
      const response = readGetResultResponse(
        await call(soapActions.getResult, getResultRequestElement({ sessionId, requestCounter })),
      );
      if (useOperations) checkAgainstRequest(response, useOperations);
      return response;
    },
    async pollResult(poll) {
      const attempts = poll.attempts ?? 5;
      const sleep = poll.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
      for (let attempt = 0; attempt < attempts; attempt++) {
        if (attempt > 0) await sleep(poll.intervalMs ?? 600);
        const outcome = outcomeOf(await client.getResult(poll.sessionId, await poll.nextCounter(), poll.useOperations));
        if (outcome.kind !== 'pending') return outcome;
      }
      return { kind: 'pending' };
    },
  };
  return client;
}
