/**
 * Exports:
 * - `createSimulatorStore(ttlMs?)`: the simulator's in-memory session store
 *   (no table: this slice runs standalone and in tests) → `SimulatorStore`.
 * - `completeSession(store, pskId, cardId, choice?, now?)`: what the
 *   simulated eID client will call when the tester has picked a card and
 *   entered the PIN; afterwards getResult answers the card's result once.
 * - `finishSession(store, pskId, outcome, now?)`: the same, for a card or a
 *   failure found before any card was read (blocked PIN, cancel); returns
 *   the stored getResult answer (the PAOS stand-in derives the refresh
 *   query from it).
 * - `findSessionByPskId(store, pskId, now)`.
 * - Types `SimulatorSession`, `SimulatorStore`, `SessionOutcome`.
 *
 * Sessions are found by Session ID (getResult) and by PSK ID (the TC token's
 * SessionIdentifier, which is all the eID client knows). They expire after
 * ten minutes (design notes §4).
 */
import type { GetResultResponse } from '../../methods/eid/soap/get-result.ts';
import type { Psk, UseIdRequest } from '../../methods/eid/soap/use-id.ts';
import { answerFor, type ClientChoice } from './answer.ts';
import { testCards, type TestCardId } from './cards.ts';

export interface SimulatorSession {
  sessionId: string;
  psk: Psk;
  request: UseIdRequest;
  createdAt: number;
  /** The highest RequestCounter seen; a getResult must send a greater one. */
  lastCounter: number;
  /** Set once the client finished; answered once, then the session is gone. */
  answer?: GetResultResponse;
}

export interface SimulatorStore {
  readonly ttlMs: number;
  readonly sector: string;
  readonly sessions: Map<string, SimulatorSession>;
  readonly byPskId: Map<string, string>;
  /**
   * PIN tries left per card (3 when absent), kept across sessions as on a
   * real chip; a correct PIN resets it, 0 means blocked until restart.
   */
  readonly pinTries: Map<TestCardId, number>;
}

/**
 * `sector`: the terminal sector the RestrictedIDs are computed for (EID_SIMULATOR_SECTOR, default servicekonto-dev).
 */
export function createSimulatorStore(options: { sector?: string; ttlMs?: number } = {}): SimulatorStore {
  return {
    ttlMs: options.ttlMs ?? 10 * 60_000,
    sector: options.sector ?? 'servicekonto-dev',
    sessions: new Map(),
    byPskId: new Map(),
    pinTries: new Map(),
  };
}

export function addSession(store: SimulatorStore, session: SimulatorSession): void {
  store.sessions.set(session.sessionId, session);
  store.byPskId.set(session.psk.id, session.sessionId);
}

export function removeSession(store: SimulatorStore, session: SimulatorSession): void {
  store.sessions.delete(session.sessionId);
  store.byPskId.delete(session.psk.id);
}

/** The live session with this Session ID; an expired one is removed and not returned. */
export function findSession(store: SimulatorStore, sessionId: string, now: Date): SimulatorSession | undefined {
  const session = store.sessions.get(sessionId.toUpperCase());
  if (!session) return undefined;
  if (now.getTime() - session.createdAt > store.ttlMs) {
    removeSession(store, session);
    return undefined;
  }
  return session;
}

/** The live session with this PSK ID (the TC token's SessionIdentifier). */
export function findSessionByPskId(store: SimulatorStore, pskId: string, now: Date): SimulatorSession | undefined {
  const sessionId = store.byPskId.get(pskId);
  return sessionId === undefined ? undefined : findSession(store, sessionId, now);
}

/** A card read with the citizen's choice, or a failure that ended the reading before (its ResultMinor). */
export type SessionOutcome = { cardId: TestCardId; choice?: ClientChoice } | { failure: string };

/** The getResult answer now stored; undefined when no live, unfinished session has this PSK ID. */
export function finishSession(
  store: SimulatorStore,
  pskId: string,
  outcome: SessionOutcome,
  now: Date = new Date(),
): GetResultResponse | undefined {
  const session = findSessionByPskId(store, pskId, now);
  if (!session || session.answer) return undefined;
  session.answer =
    'failure' in outcome
      ? { result: { major: 'error', minor: outcome.failure } }
      : answerFor(session.request, testCards(now)[outcome.cardId], outcome.choice ?? {}, store.sector);
  return session.answer;
}

/** False when no live, unfinished session has this PSK ID. */
export function completeSession(
  store: SimulatorStore,
  pskId: string,
  cardId: TestCardId,
  choice: ClientChoice = {},
  now: Date = new Date(),
): boolean {
  return finishSession(store, pskId, { cardId, choice }, now) !== undefined;
}
