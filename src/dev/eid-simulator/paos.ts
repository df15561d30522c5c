/**
 * Exports:
 * - `paosRoutes(options)`: a Fastify plugin serving `POST {path}` (default
 *   `/paos`), the stand-in for the PAOS/EAC exchange between the eID client
 *   and the eID-Server (design notes §4). JSON in and out.
 * - `paosProof(pskKeyHex, request)`: the proof a request carries.
 * - `refreshFor(result)`: the refresh query the AusweisApp appends for a
 *   getResult answer.
 * - Types `PaosRequest`, `PaosDescribeAnswer`, `PaosReadAnswer`,
 *   `RefreshResult`, `RefreshMinor`, `PaosOptions`.
 *
 * The real exchange runs inside TLS-PSK with the TC token's PSK (TR-03130-1
 * §3.5.3, TR-03124-1 §2.4.1): only who holds the token can talk about its
 * session. Here an HMAC with that key over what is asked gives the same
 * binding; a request for an unknown or expired session, or with a wrong
 * proof, is refused with 403.
 *
 * - `describe`: what the service asked for (UseOperations REQUIRED/ALLOWED,
 *   TransactionInfo), as the AusweisApp shows it before the PIN.
 * - `read`: cancel, or a card with its PIN. Each card has three PIN tries,
 *   kept in the store across sessions as on a chip; a correct PIN resets
 *   them; the third wrong PIN blocks it, and the `pin-blocked` card is
 *   always blocked. A blocked PIN ends the session with the minor the
 *   AusweisApp reports for it (Card_Pin_Blocked → al/common#unknownError,
 *   design notes §0.2). A wrong PIN with tries left keeps the session open:
 *   the AusweisApp asks again itself (§3).
 */
import { createHmac } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { operations, type Operation } from '../../methods/eid/soap/operations.ts';
import { ecardMinor, type EidResult } from '../../methods/eid/soap/result.ts';
import { safeEqual } from '../../platform/crypto/tokens.ts';
import { testCardIds, testCards, testPin, type TestCardId } from './cards.ts';
import { findSessionByPskId, finishSession, type SessionOutcome, type SimulatorStore } from './sessions.ts';

export interface PaosRequest {
  action: 'describe' | 'read';
  /** The TC token's SessionIdentifier (useID PSK/ID). */
  sessionIdentifier: string;
  cardId?: TestCardId;
  pin?: string;
  /** ALLOWED items the citizen unticked. */
  deselected?: Operation[];
  cancel?: boolean;
  /** `paosProof(PSK key, request)`, hex. */
  proof: string;
}

export interface PaosDescribeAnswer {
  transactionInfo?: string;
  required: Operation[];
  allowed: Operation[];
}

/** The suffixes `addMajorMinor` writes into ResultMinor (AusweisApp UrlUtil; design notes §0.2). */
export type RefreshMinor =
  'cancellationByUser' | 'communicationError' | 'trustedChannelEstablishmentFailed' | 'serverError' | 'clientError';
export type RefreshResult = { major: 'ok' } | { major: 'error'; minor: RefreshMinor };

export type PaosReadAnswer = { status: 'wrong-pin'; triesLeft: number } | { status: 'done'; refresh: RefreshResult };

export interface PaosOptions {
  store: SimulatorStore;
  path?: string;
  now?: () => Date;
}

const pinTries = 3;
const maxBody = 4 * 1024;

/** HMAC-SHA256, keyed with the hex-decoded PSK, over `sessionIdentifier|action|cardId|cancel`; hex. */
export function paosProof(
  pskKeyHex: string,
  request: Pick<PaosRequest, 'sessionIdentifier' | 'action' | 'cardId' | 'cancel'>,
): string {
  const message = `${request.sessionIdentifier}|${request.action}|${request.cardId ?? ''}|${request.cancel ? 'cancel' : ''}`;
  return createHmac('sha256', Buffer.from(pskKeyHex, 'hex')).update(message).digest('hex');
}

/**
 * What the AusweisApp appends to the RefreshAddress (`UrlUtil::addMajorMinor`):
 * three minors by name, an error whose origin is the server as serverError,
 * every other as clientError. The design notes §3/§4 tables: expired →
 * clientError, revoked and deniedDocument → serverError, blocked PIN → clientError.
 */
export function refreshFor(result: EidResult): RefreshResult {
  if (result.major === 'ok') return { major: 'ok' };
  switch (result.minor) {
    case ecardMinor.cancellationByUser:
    case ecardMinor.ifdlCancellationByUser:
      return { major: 'error', minor: 'cancellationByUser' };
    case ecardMinor.communicationError:
      return { major: 'error', minor: 'communicationError' };
    case ecardMinor.trustedChannelEstablishmentFailed:
      return { major: 'error', minor: 'trustedChannelEstablishmentFailed' };
  }
  const fromServer = result.minor?.startsWith('http://www.bsi.bund.de/eid/server/') ?? false;
  return { major: 'error', minor: fromServer ? 'serverError' : 'clientError' };
}

const pskIdPattern = /^[\x21-\x7E]{16,256}$/;
const proofPattern = /^[0-9a-fA-F]{64}$/;
const known = new Set(['action', 'sessionIdentifier', 'cardId', 'pin', 'deselected', 'cancel', 'proof']);

/** The request, or undefined when it is not exactly the documented shape. */
function readPaosRequest(body: unknown): PaosRequest | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const b = body as Record<string, unknown>;
  if (Object.keys(b).some((key) => !known.has(key))) return undefined;
  if (b.action !== 'describe' && b.action !== 'read') return undefined;
  if (typeof b.sessionIdentifier !== 'string' || !pskIdPattern.test(b.sessionIdentifier)) return undefined;
  if (typeof b.proof !== 'string' || !proofPattern.test(b.proof)) return undefined;
  const request: PaosRequest = { action: b.action, sessionIdentifier: b.sessionIdentifier, proof: b.proof };
  if (b.cardId !== undefined) {
    if (typeof b.cardId !== 'string' || !(testCardIds as readonly string[]).includes(b.cardId)) return undefined;
    request.cardId = b.cardId as TestCardId;
  }
  if (b.pin !== undefined) {
    if (typeof b.pin !== 'string' || b.pin.length > 32) return undefined;
    request.pin = b.pin;
  }
  if (b.deselected !== undefined) {
    const list = b.deselected;
    if (
      !Array.isArray(list) ||
      list.length > operations.length ||
      !list.every((op) => typeof op === 'string' && (operations as readonly string[]).includes(op))
    )
      return undefined;
    request.deselected = list as Operation[];
  }
  if (b.cancel !== undefined) {
    if (typeof b.cancel !== 'boolean') return undefined;
    request.cancel = b.cancel;
  }
  return request;
}

export function paosRoutes(options: PaosOptions) {
  const now = options.now ?? (() => new Date());
  const path = options.path ?? '/paos';
  const { store } = options;

  return async function routes(fastify: FastifyInstance): Promise<void> {
    // JSON answers for every refusal, whatever error pages the app that mounts this renders.
    fastify.setErrorHandler((error: { statusCode?: number }, request, reply) => {
      const status = error.statusCode ?? 500;
      if (status === 413) return reply.code(413).send({ error: 'body too large' });
      if (status === 415) return reply.code(415).send({ error: 'JSON only' });
      if (status >= 400 && status < 500) return reply.code(400).send({ error: 'malformed request' });
      request.log.error({ err: error }, 'PAOS stand-in failed');
      return reply.code(500).send({ error: 'internal' });
    });

    // The eID-Client posts here, no form of ours (route-options.ts).
    fastify.post(path, { bodyLimit: maxBody, config: { csrf: false } }, async (request, reply) => {
      reply.header('cache-control', 'no-store');
      const paos = readPaosRequest(request.body);
      if (!paos) return reply.code(400).send({ error: 'malformed request' });
      const at = now();
      const session = findSessionByPskId(store, paos.sessionIdentifier, at);
      if (!session || session.answer) return reply.code(403).send({ error: 'unknown or finished session' });
      if (!safeEqual(paos.proof.toLowerCase(), paosProof(session.psk.key, paos)))
        return reply.code(403).send({ error: 'bad proof' });

      if (paos.action === 'describe') return describe(session.request.useOperations, session.request.transactionInfo);

      const finish = (outcome: SessionOutcome): PaosReadAnswer => {
        const answer = finishSession(store, paos.sessionIdentifier, outcome, at);
        // Cannot happen: the session was live and unfinished above, and nothing awaited since.
        if (!answer) throw new Error('the session ended while it was read');
        return { status: 'done', refresh: refreshFor(answer.result) };
      };
      if (paos.cancel) return finish({ failure: ecardMinor.cancellationByUser });
      if (!paos.cardId || paos.pin === undefined) return reply.code(400).send({ error: 'malformed request' });
      const blocked = (): PaosReadAnswer =>
        finish({ failure: testCards(at)['pin-blocked'].failure ?? ecardMinor.unknownError });

      const left = paos.cardId === 'pin-blocked' ? 0 : (store.pinTries.get(paos.cardId) ?? pinTries);
      if (left <= 0) return blocked();
      if (safeEqual(paos.pin, testPin)) {
        store.pinTries.delete(paos.cardId);
        return finish({ cardId: paos.cardId, choice: { deselected: paos.deselected ?? [] } });
      }
      store.pinTries.set(paos.cardId, left - 1);
      if (left - 1 === 0) return blocked();
      return { status: 'wrong-pin', triesLeft: left - 1 } satisfies PaosReadAnswer;
    });
  };
}

function describe(
  useOperations: Partial<Record<Operation, string>>,
  transactionInfo: string | undefined,
): PaosDescribeAnswer {
  return {
    ...(transactionInfo !== undefined && { transactionInfo }),
    required: operations.filter((op) => useOperations[op] === 'REQUIRED'),
    allowed: operations.filter((op) => useOperations[op] === 'ALLOWED'),
  };
}
