/**
 * Exports:
 * - `createSimulatorStore(ttlMs?)`: the simulator's in-memory session store
 *   (no table: this slice runs standalone and in tests) → `SimulatorStore`.
 * - `completeSession(store, pskId, cardId, choice?, now?)`: what the
 *   simulated eID client will call when the tester has picked a card and
 *   entered the PIN; afterwards getResult answers the card's result once.
 * - Types `SimulatorSession`, `SimulatorStore`.
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
}

/** `sector`: the terminal sector the RestrictedIDs are computed for (EID_SIMULATOR_SECTOR, default servicekonto-dev). */
export function createSimulatorStore(options: { sector?: string; ttlMs?: number } = {}): SimulatorStore {
  return { ttlMs: options.ttlMs ?? 10 * 60_000, sector: options.sector ?? 'servicekonto-dev', sessions: new Map(), byPskId: new Map() };
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

/** False when no live, unfinished session has this PSK ID. */
export function completeSession(store: SimulatorStore, pskId: string, cardId: TestCardId, choice: ClientChoice = {}, now: Date = new Date()): boolean {
  const sessionId = store.byPskId.get(pskId);
  const session = sessionId === undefined ? undefined : findSession(store, sessionId, now);
  if (!session || session.answer) return false;
  session.answer = answerFor(session.request, testCards(now)[cardId], choice, store.sector);
  return true;
}
