import { AsyncLocalStorage } from 'node:async_hooks';
import type Provider from 'oidc-provider';
import { errors } from 'oidc-provider';
import type { ClaimsSource } from './claims-source-repository.ts';
import type { SsoSession } from '../session/sso-session-repository.ts';
import type { Queryable } from '../platform/db/database.ts';
import { payloadRepository, type ConsumedRecord, type Payload } from './payload-repository.ts';

/** An upsert held back until the request's next statement of the adapter or its end (adapter.ts). */
export interface HeldUpsert {
  model: string;
  id: string;
  /** Only the fields the table keeps in columns of their own (adapter.ts `indexed`): the record is `json`. */
  payload: Payload;
  expiresAt: Date | null;
  /** The record as JSON text: written as it is, and parsed for a later find in the request. */
  json: string;
}

/** A destroy held back the same way: the record is gone for the rest of the request. */
export interface HeldDestroy {
  model: string;
  id: string;
  destroyed: true;
}

export type HeldWrite = HeldUpsert | HeldDestroy;

/** The answer to a redemption that lost to a parallel one (RFC 6749 §5.2 invalid_grant), as oidc-provider gives it. */
export const lostRedemption = () => new errors.InvalidGrant('grant request is invalid');

/**
 * What one request to oidc-provider keeps between its adapter calls (issue 16: every statement is a round trip, and
 * the pg client's submissions were half of a grant's CPU). Without a request (the interaction routes call the
 * provider from Fastify) there is no scope and every call goes to the database at once.
 */
export interface RequestScope {
  /**
   * Records read with a token in the same statement, answered once by the adapter's next find for them:
   * `${model}|${column}|${value}` → the record, or null when it does not exist (or no longer lives).
   */
  readonly rows: Map<string, Payload | null>;
  /** The accounts (with their attributes) read with a token, answered once by findAccount; null: none. */
  readonly accounts: Map<string, ClaimsSource | null>;
  /**
   * The remembered consents read with an interaction, answered once by loadExistingGrant: `${accountId}|${clientId}`
   * → its scopes, or null when there is none.
   */
  readonly consents: Map<string, string[] | null>;
  /** The SSO cookie of the request: a read of an interaction resumes its session in the same statement. */
  ssoToken?: string;
  /** The SSO session resumed so, for the interaction policy (interaction-policy.ts); undefined: none was. */
  ssoResumed?: { token: string; session: SsoSession | undefined };
  /**
   * Upserts and destroys not yet written, by `${model}|${id}` (the last write of a record wins): they go in one
   * statement (adapter.ts), at the adapter's next other statement or before the response leaves.
   */
  readonly held: Map<string, HeldWrite>;
  /**
   * Codes and refresh tokens redeemed, by `${model}|${id}`: marked used in the statement of the held writes, which
   * are stored only if every one of them was still unused (adapter.ts consume).
   */
  readonly consumed: Map<string, ConsumedRecord>;
  /** The write of held upserts under way: every statement of the request waits for it, so order is kept. */
  writing: Promise<void>;
  /** Writes what is held (set by scopeProviderRequests): for code that reads oidc_payloads outside the adapter. */
  flush: () => Promise<void>;
}

const storage = new AsyncLocalStorage<RequestScope>();

export const currentScope = (): RequestScope | undefined => storage.getStore();

export const newScope = (): RequestScope => ({
  rows: new Map(),
  accounts: new Map(),
  consents: new Map(),
  held: new Map(),
  consumed: new Map(),
  writing: Promise.resolve(),
  flush: () => Promise.resolve(),
});

/**
 * Writes what the current request holds. Code that reads oidc_payloads itself during a provider request (logout's
 * back-channel targets read the account's sessions) calls it first, so it sees what the provider wrote.
 */
export const flushHeld = (): Promise<void> => storage.getStore()?.flush() ?? Promise.resolve();

/** The held writes, taken out of the scope: the upserts, the destroys and the redemptions. */
export function takeHeld(scope: RequestScope): {
  upserts: HeldUpsert[];
  destroyed: HeldDestroy[];
  consumed: ConsumedRecord[];
} {
  const writes = [...scope.held.values()];
  const consumed = [...scope.consumed.values()];
  scope.held.clear();
  scope.consumed.clear();
  return {
    upserts: writes.filter((write): write is HeldUpsert => !('destroyed' in write)),
    destroyed: writes.filter((write): write is HeldDestroy => 'destroyed' in write),
    consumed,
  };
}

/**
 * Runs `work` (our interaction routes: storing an interaction's result) with the adapter's writes held, and writes
 * them with `tx`, the transaction of the login they belong to (issue 16): both are stored, or neither, and the
 * browser is sent on only after the commit.
 */
export async function inTransaction<T>(tx: Queryable, work: () => Promise<T>): Promise<T> {
  const scope = newScope();
  const result = await inScope(scope, work);
  await scope.writing;
  const { upserts, destroyed, consumed } = takeHeld(scope);
  if (!(await payloadRepository(tx).writeMany(upserts, destroyed, consumed))) throw lostRedemption();
  return result;
}

/** Runs `work` as one request (the provider's middleware; tests of the adapter). */
export const inScope = <T>(scope: RequestScope, work: () => Promise<T>): Promise<T> => storage.run(scope, work);

/** The key of a record found by `column`, as `rows` holds it. */
export const rowKey = (model: string, column: string, value: string) => `${model}|${column}|${value}`;

/** Takes a read-ahead answer: undefined when there is none (ask the database), null when the record does not exist. */
export function takeRow(scope: RequestScope | undefined, key: string): Payload | null | undefined {
  const row = scope?.rows.get(key);
  if (row !== undefined) scope?.rows.delete(key);
  return row;
}

/** A write to a model makes what was read of it ahead stale: later finds go to the database. */
export function forgetModel(scope: RequestScope | undefined, model: string): void {
  for (const key of scope?.rows.keys() ?? []) if (key.startsWith(`${model}|`)) scope?.rows.delete(key);
}

export function takeAccount(id: string): ClaimsSource | null | undefined {
  const scope = storage.getStore();
  const account = scope?.accounts.get(id);
  if (account !== undefined) scope?.accounts.delete(id);
  return account;
}

/** Takes a consent read ahead: undefined when there is none (ask the database), null when the account has none. */
export function takeConsent(accountId: string, clientId: string): string[] | null | undefined {
  const scope = storage.getStore();
  const key = `${accountId}|${clientId}`;
  const consent = scope?.consents.get(key);
  if (consent !== undefined) scope?.consents.delete(key);
  return consent;
}

/** Keeps the request's SSO cookie, for a read of an interaction to resume its session along (adapter.ts). */
export function rememberSsoToken(token: string | undefined): void {
  const scope = storage.getStore();
  if (scope) scope.ssoToken = token;
}

/** Takes the SSO session resumed with an interaction for this cookie: undefined when none was (ask the database). */
export function takeSsoResumed(token: string | undefined): { session: SsoSession | undefined } | undefined {
  const scope = storage.getStore();
  const resumed = scope?.ssoResumed;
  if (!scope || !resumed || resumed.token !== token) return undefined;
  scope.ssoResumed = undefined;
  return resumed;
}

/**
 * Every request to the provider runs in a scope; what it still holds is written before the response leaves (Koa
 * sends it once all middleware has returned), so a client never holds a token the database does not know. A write
 * that fails turns the answer into oidc-provider's own server error, as a failed save inside it would have; a
 * redemption that lost to a parallel one there into the invalid_grant its consume would have thrown.
 */
export function scopeProviderRequests(provider: Provider, writeHeld: (scope: RequestScope) => Promise<void>): void {
  provider.use(async (ctx, next) => {
    const scope = newScope();
    scope.flush = () => writeHeld(scope);
    try {
      await inScope(scope, next);
    } finally {
      try {
        await writeHeld(scope);
      } catch (error) {
        // Nothing of the answer may reach the browser: not a redirect to an interaction that is not stored.
        ctx.remove('Location');
        if (error instanceof errors.InvalidGrant) {
          // RFC 6749 §4.1.2, §10.4: the loser of a parallel redemption gets no token, only invalid_grant.
          ctx.status = error.statusCode;
          ctx.body = { error: error.error, error_description: error.error_description };
          provider.emit('grant.error', ctx, error);
        } else {
          ctx.status = 500;
          ctx.body = { error: 'server_error', error_description: 'oops! something went wrong' };
          provider.emit('server_error', ctx, error);
        }
      }
    }
  });
}
