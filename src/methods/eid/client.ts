/**
 * Exports `createEidClient(options)` → `EidClient` (`useID`, `getResult`,
 * `pollResult`) and the types `EidClientOptions`, `EidClient`, `PollOptions`:
 * the eService side of the TR-03130 eID-Interface over `fetch`.
 *
 * Every request is signed and every answer verified with WS-Security
 * (`soap/ws-security.ts`, TR-03130-1 §3.5.2); the answer is then read by the
 * strict readers. Transport limits as design notes §5 `soap/transport.ts`:
 * no redirects, a timeout (10 s), the body capped while streaming (256 KiB),
 * `text/xml` only, https unless `allowHttp` (set only outside production).
 * Every refusal is an `EidServerError`.
 *
 * Not here yet: the TLS client certificate (TR-03130-1 §3.5.1). Node's global
 * fetch takes no client certificate without an undici dispatcher; pass a
 * `fetch` that carries one, or replace the transport with node:https.
 */
import type { SigningKey } from '../../saml/crypto/sign-element.ts';
import type { XmlElement } from '../../saml/xml/build.ts';
import { outcomeOf, type EidOutcome } from './result-codes.ts';
import { parseEnvelope } from './soap/envelope.ts';
import { EidServerError } from './soap/errors.ts';
import { checkAgainstRequest, getResultRequestElement, readGetResultResponse, type GetResultResponse } from './soap/get-result.ts';
import { soapActions } from './soap/namespaces.ts';
import type { UseOperations } from './soap/operations.ts';
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
  fetch?: typeof fetch;
  timeoutMs?: number;
  maxBytes?: number;
  now?: () => Date;
}

export interface PollOptions {
  sessionId: string;
  /** The next RequestCounter, strictly greater than every earlier one for this session (kept by the caller, e.g. in the transaction row). */
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

const defaults = { timeoutMs: 10_000, maxBytes: 256 * 1024 };

export function createEidClient(options: EidClientOptions): EidClient {
  const url = new URL(options.serverUrl);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && options.allowHttp)) throw new Error('EID_SERVER_URL must be https');
  const doFetch = options.fetch ?? fetch;
  const now = options.now ?? (() => new Date());
  const timeoutMs = options.timeoutMs ?? defaults.timeoutMs;
  const maxBytes = options.maxBytes ?? defaults.maxBytes;

  async function call(action: string, message: XmlElement): Promise<Element> {
    const body = signEnvelope(message, options.signingKey, now());
    let response: Response;
    try {
      response = await doFetch(url, {
        method: 'POST',
        headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: `"${action}"`, accept: 'text/xml' },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw transportError(error);
    }
    if (response.status >= 300 && response.status < 400) throw new EidServerError('redirect');
    const contentType = (response.headers.get('content-type') ?? '').toLowerCase();
    const isXml = /^text\/xml\s*(;|$)/.test(contentType);
    const text = await readCapped(response, maxBytes);
    // SOAP 1.1 §6.2: a Fault comes with HTTP 500.
    if (response.status === 500 && isXml) {
      parseEnvelope(text);
      throw new EidServerError('http_status', '500');
    }
    if (response.status !== 200) throw new EidServerError('http_status', String(response.status));
    if (!isXml) throw new EidServerError('content_type');
    return verifyEnvelope(text, options.serverCertificates, now()).message;
  }

  const client: EidClient = {
    async useID(request) {
      return readUseIdResponse(await call(soapActions.useID, useIdRequestElement(request)), request.psk);
    },
    async getResult(sessionId, requestCounter, useOperations) {
      const response = readGetResultResponse(await call(soapActions.getResult, getResultRequestElement({ sessionId, requestCounter })));
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

function transportError(error: unknown): EidServerError {
  const name = error instanceof Error ? error.name : '';
  if (name === 'TimeoutError' || name === 'AbortError') return new EidServerError('timeout');
  return new EidServerError('network', name || undefined);
}

/** Reads the body as UTF-8, stopping at `maxBytes` (a server must not make us buffer without bound). */
async function readCapped(response: Response, maxBytes: number): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw new EidServerError('too_large');
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw new EidServerError('too_large');
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof EidServerError) throw error;
    throw transportError(error);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new EidServerError('xml', 'not UTF-8');
  }
}
