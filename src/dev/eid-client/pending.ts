/**
 * Exports `createPendingReadings(clock, limits?)` and the types
 * `PendingReading`, `PendingReadings`: the TC tokens between the client
 * page and its form post, in memory, under a random id.
 *
 * The PSK stays on the server, as it stays inside the AusweisApp: the page
 * carries only the id. Entries live 10 minutes (the eID-Server session's
 * lifetime, design notes §4); the map is capped so that reloads cannot grow
 * it without bound (the oldest entry goes first).
 */
import { randomToken } from '../../platform/crypto/tokens.ts';
import type { Clock } from '../../platform/clock.ts';
import type { PaosDescribeAnswer } from '../eid-simulator/paos.ts';
import type { ClientTcToken } from './token.ts';

export interface PendingReading {
  token: ClientTcToken;
  describe: PaosDescribeAnswer;
}

export interface PendingReadings {
  put(reading: PendingReading): string;
  get(id: string | undefined): PendingReading | undefined;
  delete(id: string): void;
}

export function createPendingReadings(clock: Clock, limits: { ttlMs?: number; max?: number } = {}): PendingReadings {
  const ttlMs = limits.ttlMs ?? 10 * 60_000;
  const max = limits.max ?? 500;
  const entries = new Map<string, PendingReading & { createdAt: number }>();

  const expired = (createdAt: number) => clock.now().getTime() - createdAt > ttlMs;
  return {
    put(reading) {
      for (const [id, entry] of entries) if (expired(entry.createdAt)) entries.delete(id);
      while (entries.size >= max) {
        const oldest = entries.keys().next().value;
        if (oldest === undefined) break;
        entries.delete(oldest);
      }
      const id = randomToken(24);
      entries.set(id, { ...reading, createdAt: clock.now().getTime() });
      return id;
    },
    get(id) {
      const entry = id === undefined ? undefined : entries.get(id);
      if (!entry || id === undefined) return undefined;
      if (expired(entry.createdAt)) {
        entries.delete(id);
        return undefined;
      }
      return { token: entry.token, describe: entry.describe };
    },
    delete(id) {
      entries.delete(id);
    },
  };
}
