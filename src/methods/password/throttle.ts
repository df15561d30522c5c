import type { Clock } from '../../platform/clock.ts';
import type { Queryable } from '../../platform/db/database.ts';
import { AppError } from '../../platform/http/errors.ts';
import type { StatementPiece } from '../../platform/db/statement-pieces.ts';
import { checkAndEnsure, clearAndMark, clearAndMarkPiece, countAttempt } from './throttle-repository.ts';

/**
 * Failed-login throttling with growing delays (OWASP Authentication Cheat
 * Sheet, "login throttling"). No permanent lockout: BSI's 9-failures lock
 * (PROFILES.md §5) lets a stranger lock a citizen out; here a stranger can at
 * most slow one account down for clients the account does not know, while
 * the owner's own address and devices keep their own budget (issue 13 §3).
 */
export interface ThrottlePolicy {
  /** Attempts allowed before the first delay. */
  free: number;
  /** Longest delay, in seconds. */
  maxDelay: number;
}

/** One key of an attempt. */
export interface ThrottleKey {
  key: string;
  policy: ThrottlePolicy;
  /**
   * Counted only while the named other key of the same attempt has counted
   * at most `atMost` attempts: one source then adds at most that many to a
   * shared key, so a flood from one network cannot keep it delayed.
   */
  countedWhile?: { key: string; atMost: number };
  /** Left out of the attempt while this marker (see `succeeded`) exists: the owner's known address. */
  waivedBy?: string;
}

/** How long an address stays known to an account after a successful login from it. */
export const knownAddressDays = 30;

/** One login name from one address: the classic guessing attack. */
export const perNameAndAddress: ThrottlePolicy = { free: 3, maxDelay: 15 * 60 };
/** One address, any names (many citizens share one address behind a NAT: more slack). */
export const perAddress: ThrottlePolicy = { free: 20, maxDelay: 15 * 60 };
/** One IPv4 /24 or IPv6 /64, any names: an IPv6 /64 is an unlimited supply of addresses (issue 13 §4). */
export const perNetwork: ThrottlePolicy = { free: 100, maxDelay: 15 * 60 };
/** One account from anywhere: a distributed attack; capped low so clients it slows are never locked out. */
export const perAccount: ThrottlePolicy = { free: 10, maxDelay: 60 };
/** One account from one network: never delays; it only limits what one network adds to `perAccount`. */
export const countOnly: ThrottlePolicy = { free: 2 ** 31 - 1, maxDelay: 0 };
/** One browser holding a device cookie of the account (OWASP "device cookies"). */
export const perDevice: ThrottlePolicy = { free: 5, maxDelay: 15 * 60 };
/** Re-entering the current password to change settings. */
export const perReauthentication: ThrottlePolicy = { free: 5, maxDelay: 15 * 60 };

/** 0 while attempts are free, then 1 s doubling with each further attempt, capped. */
export function delayAfter(attempts: number, policy: ThrottlePolicy): number {
  if (attempts <= policy.free) return 0;
  return Math.min(policy.maxDelay, 2 ** (attempts - policy.free - 1));
}

// Attempts older than a day are forgotten.
const forgetAfterSeconds = 24 * 3600;

function refuse(until: Date, now: Date): never {
  const seconds = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
  throw new AppError('rate_limited', { seconds }, { 'retry-after': String(seconds) });
}

const byKey = (a: ThrottleKey, b: ThrottleKey) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

export function loginThrottle(db: Queryable, clock: Clock) {
  return {
    /** Counts an attempt on its keys; refuses (429) without counting when any key is still delayed. */
    async attempt(keys: readonly ThrottleKey[]): Promise<void> {
      const now = clock.now();
      // In key order for both statements: two attempts on overlapping new keys must not wait for each other's inserts
      // crosswise.
      const unique = [...new Map(keys.map((k) => [k.key, k])).values()].sort(byKey);
      const names = unique.map((k) => k.key);
      const waivedBy = unique.map((k) => k.waivedBy ?? null);
      const early = await checkAndEnsure(db, { names, now, waivedBy });
      if (early) refuse(new Date(early), now);
      const late = await countAttempt(db, {
        names,
        now,
        forgetAfterSeconds,
        free: unique.map((k) => k.policy.free),
        maxDelay: unique.map((k) => k.policy.maxDelay),
        gate: unique.map((k) => k.countedWhile?.key ?? null),
        gateMax: unique.map((k) => k.countedWhile?.atMost ?? null),
        waivedBy,
      });
      if (late) refuse(new Date(late), now);
    },
    /**
     * Takes back the attempt a success counted on shared keys (an address
     * behind a NAT): only failures may use up their budget, or an office
     * full of citizens would lock itself out by logging in.
     */
    async refund(keys: readonly string[]): Promise<void> {
      await clearAndMark(db, { keys: [], refunded: keys, known: null, now: clock.now(), days: knownAddressDays });
    },
    /**
     * A success clears the keys of this login: the owner's count starts
     * afresh. With `known`, it also marks the address as the owner's for
     * `knownAddressDays`, which waives the keys naming it (`waivedBy`). The
     * marker is a counter row that is never counted: its `blocked_until` is
     * when it ends, so housekeeping keeps it until then. The `refunded` keys
     * get the attempt back (see `refund`), in the same statement; given `tx`,
     * it is part of the caller's transaction.
     */
    async succeeded(
      keys: readonly string[],
      known?: string,
      { refunded = [], tx = db }: { refunded?: readonly string[]; tx?: Queryable } = {},
    ): Promise<void> {
      await clearAndMark(tx, { keys, refunded, known: known ?? null, now: clock.now(), days: knownAddressDays });
    },
    /** `succeeded` as a piece of the statement that starts the login's session (issue 16: its writes are one). */
    succeededPiece(
      keys: readonly string[],
      known?: string,
      { refunded = [] }: { refunded?: readonly string[] } = {},
    ): StatementPiece<never> {
      return clearAndMarkPiece({ keys, refunded, known: known ?? null, now: clock.now(), days: knownAddressDays });
    },
  };
}

export type LoginThrottle = ReturnType<typeof loginThrottle>;
