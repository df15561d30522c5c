/**
 * Exports `paosDescribe(token, options)`, `paosRead(token, read, options)`,
 * `PaosCallError` and the types `PaosCallOptions`, `PaosReadInput`: the
 * simulated client's side of the PAOS stand-in (src/dev/eid-simulator/paos.ts)
 * at the TC token's ServerAddress, each request bound to the session by the
 * PSK proof.
 *
 * What the AusweisApp would report when the exchange fails: a server that
 * refuses the PSK (unknown or ended session) breaks the TLS-PSK channel,
 * `trustedChannelEstablishmentFailed`; anything else (unreachable, timeout,
 * an answer that is not the documented JSON) is `communicationError`.
 */
import { operations, type Operation } from '../../methods/eid/soap/operations.ts';
import type { TestCardId } from '../eid-simulator/cards.ts';
import {
  paosProof,
  type PaosDescribeAnswer,
  type PaosReadAnswer,
  type PaosRequest,
  type RefreshMinor,
  type RefreshResult,
} from '../eid-simulator/paos.ts';
import type { ClientTcToken } from './token.ts';

export class PaosCallError extends Error {
  readonly minor: RefreshMinor;
  constructor(minor: RefreshMinor, detail: string) {
    super(detail);
    this.minor = minor;
  }
}

export interface PaosCallOptions {
  fetch?: typeof fetch;
  timeoutMs?: number;
}

export type PaosReadInput = { cancel: true } | { cardId: TestCardId; pin: string; deselected: Operation[] };

const maxAnswerBytes = 4 * 1024;

async function call(
  token: ClientTcToken,
  request: Omit<PaosRequest, 'proof'>,
  options: PaosCallOptions,
): Promise<unknown> {
  const body: PaosRequest = { ...request, proof: paosProof(token.psk, request) };
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(token.serverAddress, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
  } catch (error) {
    throw new PaosCallError('communicationError', error instanceof Error ? error.name : 'network');
  }
  if (Number(response.headers.get('content-length') ?? '0') > maxAnswerBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw new PaosCallError('communicationError', 'answer too large');
  }
  const text = await response.text().catch(() => undefined);
  if (response.status === 403) throw new PaosCallError('trustedChannelEstablishmentFailed', 'PSK refused');
  if (response.status !== 200 || text === undefined || Buffer.byteLength(text) > maxAnswerBytes)
    throw new PaosCallError('communicationError', `HTTP ${response.status}`);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new PaosCallError('communicationError', 'not JSON');
  }
}

const isOperationList = (value: unknown): value is Operation[] =>
  Array.isArray(value) && value.every((op) => (operations as readonly unknown[]).includes(op));

export async function paosDescribe(token: ClientTcToken, options: PaosCallOptions = {}): Promise<PaosDescribeAnswer> {
  const answer = (await call(
    token,
    { action: 'describe', sessionIdentifier: token.sessionIdentifier },
    options,
  )) as Record<string, unknown> | null;
  if (
    typeof answer !== 'object' ||
    answer === null ||
    !isOperationList(answer.required) ||
    !isOperationList(answer.allowed)
  )
    throw new PaosCallError('communicationError', 'describe answer');
  const info = answer.transactionInfo;
  if (info !== undefined && typeof info !== 'string') throw new PaosCallError('communicationError', 'describe answer');
  return { ...(info !== undefined && { transactionInfo: info }), required: answer.required, allowed: answer.allowed };
}

const refreshMinors: readonly string[] = [
  'cancellationByUser',
  'communicationError',
  'trustedChannelEstablishmentFailed',
  'serverError',
  'clientError',
] satisfies RefreshMinor[];

export async function paosRead(
  token: ClientTcToken,
  read: PaosReadInput,
  options: PaosCallOptions = {},
): Promise<PaosReadAnswer> {
  const request =
    'cancel' in read
      ? { action: 'read' as const, sessionIdentifier: token.sessionIdentifier, cancel: true }
      : { action: 'read' as const, sessionIdentifier: token.sessionIdentifier, ...read };
  const answer = (await call(token, request, options)) as Record<string, unknown> | null;
  if (
    answer?.status === 'wrong-pin' &&
    typeof answer.triesLeft === 'number' &&
    Number.isInteger(answer.triesLeft) &&
    answer.triesLeft > 0
  )
    return { status: 'wrong-pin', triesLeft: answer.triesLeft };
  if (answer?.status === 'done') {
    const refresh = answer.refresh as Record<string, unknown> | null | undefined;
    if (refresh?.major === 'ok') return { status: 'done', refresh: { major: 'ok' } };
    if (refresh?.major === 'error' && typeof refresh.minor === 'string' && refreshMinors.includes(refresh.minor))
      return { status: 'done', refresh: refresh as RefreshResult };
  }
  throw new PaosCallError('communicationError', 'read answer');
}
