import { errors } from 'oidc-provider';
import type { Clock } from '../platform/clock.ts';
import { coalescer } from '../platform/db/coalesced-statements.ts';
import type { Queryable } from '../platform/db/database.ts';
import { jsonHoldsNul } from '../platform/db/errors.ts';
import { serviceRepository, type ServiceRepository } from '../services/service-repository.ts';
import { isGuestId } from './guest-claims-store.ts';
import { payloadRepository, type Payload, type PayloadKey, type ReadRecord } from './payload-repository.ts';
import { coalescedPayloadWrites } from './payload-write-repository.ts';
import {
  currentScope,
  forgetModel,
  lostRedemption,
  rowKey,
  takeHeld,
  takeRow,
  type RequestScope,
} from './request-scope.ts';

/**
 * The tokens a request takes in (token endpoint: codes and refresh tokens; userinfo: access tokens). oidc-provider
 * then looks up the session, the grant and the account: they are read in the same statement (issue 16).
 */
const tokensReadWithContext = new Set(['AuthorizationCode', 'RefreshToken', 'AccessToken']);

/**
 * Within a request to the provider every upsert and destroy is held and written together, in one statement, at the
 * adapter's next other statement or before the response leaves (request-scope.ts; issue 16): a resumed
 * authorization deletes its interaction and writes the grant, the code and the session in one round trip, a refresh
 * its refresh and access token. Of these records a later find in the same request gets the held version without
 * asking the database; the codes and tokens, which can be consumed, are always read there (after the write).
 */
const answeredWhileHeld = new Set(['Interaction', 'Session', 'Grant']);

/**
 * Redeemed only at the token endpoint, whose answer leaves after the held writes: their consume is held too and
 * decides, in the same statement, whether the tokens issued for them are stored (issue 16: a refresh and a code
 * exchange in two statements, not three). Others (pushed authorization requests, consumed at the authorization
 * endpoint) are marked used at once.
 */
const consumedWithHeld = new Set(['AuthorizationCode', 'RefreshToken']);

/**
 * oidc-provider's storage adapter on PostgreSQL (DESIGN.md §5: nothing that
 * matters lives in process memory). Clients are read from the services table,
 * so a service registered by the CLI or the admin is live at once.
 */
export function createOidcAdapter(
  db: Queryable,
  clock: Clock,
  // The app passes its cached lookups (services/cached-service-repository.ts).
  services: Pick<ServiceRepository, 'oidcConfig'> = serviceRepository(db),
) {
  const payloads = payloadRepository(db);
  // What requests hold is written together with what concurrent requests hold (payload-write-repository.ts).
  const writeHeldGroup = coalescedPayloadWrites(db);
  // The tokens that grants and userinfo requests take in are looked up together too.
  const tokenLookups = coalescer({ runAll: payloads.findTokensWithContext, maxInFlight: 4 });

  return class PostgresAdapter {
    readonly model: string;

    constructor(model: string) {
      this.model = model;
    }

    /** Writes what the request holds back; every statement of the adapter comes after it (request-scope.ts). */
    static async writeHeld(scope: RequestScope | undefined): Promise<void> {
      if (!scope) return;
      if (scope.held.size > 0 || scope.consumed.size > 0) {
        const { upserts, destroyed, consumed } = takeHeld(scope);
        const before = scope.writing;
        scope.writing = before.then(async () => {
          if (!(await writeHeldGroup({ records: upserts, deleted: destroyed, consumed }))) throw lostRedemption();
        });
      }
      await scope.writing;
    }

    async upsert(id: string, payload: Payload, expiresIn?: number): Promise<void> {
      if (this.model === 'Client') throw new Error('clients are managed through the services table');
      // As the database would keep it: what the provider does to its object afterwards is not written.
      // The text is written as it is (payload-write-repository.ts): it is made once per record.
      const json = JSON.stringify(payload);
      // A request parameter the provider keeps (a state, a nonce, a body parameter) with NUL: jsonb cannot
      // hold it (SQLSTATE 22P05), so it is the client's invalid request (RFC 6749 §5.2), not a server error.
      if (jsonHoldsNul(json)) throw new errors.InvalidRequest('a parameter contains the NUL character');
      const expiresAt = expiresIn ? new Date(clock.now().getTime() + expiresIn * 1000) : null;
      const scope = currentScope();
      forgetModel(scope, this.model);
      // A record redeemed in this request is marked used first: one statement may not touch a row twice.
      if (scope?.consumed.has(`${this.model}|${id}`)) await PostgresAdapter.writeHeld(scope);
      if (scope) {
        scope.held.set(`${this.model}|${id}`, { model: this.model, id, payload: indexed(payload), json, expiresAt });
        return;
      }
      await payloads.upsert(this.model, id, payload, expiresAt);
    }

    async find(id: string): Promise<Payload | undefined> {
      // No stored id holds NUL (PostgreSQL text cannot): such an id is simply unknown.
      if (id.includes('\u0000')) return undefined;
      if (this.model === 'Client') return services.oidcConfig(id);
      const scope = currentScope();
      if (scope && tokensReadWithContext.has(this.model)) return this.findWithContext(scope, id);
      return this.findBy('id', id);
    }

    findByUid(uid: string): Promise<Payload | undefined> {
      return this.findBy('uid', uid);
    }

    findByUserCode(userCode: string): Promise<Payload | undefined> {
      return this.findBy('user_code', userCode);
    }

    private async findBy(column: PayloadKey, value: string): Promise<Payload | undefined> {
      if (value.includes('\u0000')) return undefined;
      const scope = currentScope();
      const held = this.heldAnswer(scope, column, value);
      if (held !== undefined) return held ?? undefined;
      const ahead = takeRow(scope, rowKey(this.model, column, value));
      if (ahead !== undefined) return ahead ?? undefined;
      await PostgresAdapter.writeHeld(scope);
      if (scope && this.model === 'Interaction' && column === 'id')
        return this.findInteractionWithContext(scope, value);
      const row = await payloads.findBy(this.model, column, value, clock.now());
      return row && withConsumed(row);
    }

    /** An interaction, keeping the account its login names and that account's consent for the lookups that follow. */
    private async findInteractionWithContext(scope: RequestScope, id: string): Promise<Payload | undefined> {
      const token = scope.ssoToken;
      const found = await payloads.findInteractionWithContext(id, clock.now(), token);
      // Without the interaction, the policy does not run: the session was not resumed (no row, no CTE result).
      if (!found) return undefined;
      if (found.sso && token) scope.ssoResumed = { token, session: found.sso.session };
      const { accountId, account, consent } = found;
      if (accountId && !isGuestId(accountId)) {
        if (account !== undefined) scope.accounts.set(accountId, account);
        if (consent) scope.consents.set(`${accountId}|${consent.clientId}`, consent.scopes);
      }
      return withConsumed(found.interaction);
    }

    /**
     * The held version of a record this request wrote or destroyed: undefined when none answers (ask the database,
     * after writing what is held), null when it was destroyed or has expired.
     */
    private heldAnswer(scope: RequestScope | undefined, column: PayloadKey, value: string): Payload | null | undefined {
      if (!scope || !answeredWhileHeld.has(this.model)) return undefined;
      const write =
        column === 'id'
          ? scope.held.get(`${this.model}|${value}`)
          : [...scope.held.values()].find(
              (held) => held.model === this.model && !('destroyed' in held) && held.payload[key[column]] === value,
            );
      if (!write) return undefined;
      if ('destroyed' in write) return null;
      if (write.expiresAt && write.expiresAt <= clock.now()) return null;
      // A copy of its own, as a read from the database would be.
      return JSON.parse(write.json) as Payload;
    }

    /** The token, keeping the session, grant and account read with it for the lookups that follow. */
    private async findWithContext(scope: RequestScope, id: string): Promise<Payload | undefined> {
      await PostgresAdapter.writeHeld(scope);
      const found = await tokenLookups.submit({ model: this.model, id, now: clock.now() });
      if (!found) return undefined;
      if (found.session) scope.rows.set(rowKey('Session', 'uid', found.session.uid), found.session.payload);
      if (found.grant) scope.rows.set(rowKey('Grant', 'id', found.grant.id), found.grant.payload);
      const accountId = found.token.payload.accountId;
      if (found.account !== undefined && accountId && !isGuestId(accountId))
        scope.accounts.set(accountId, found.account);
      return withConsumed(found.token);
    }

    /** Marks a code or token used; a second use is then detected by oidc-provider (RFC 6749 §4.1.2). */
    async consume(id: string): Promise<void> {
      const scope = currentScope();
      forgetModel(scope, this.model);
      const key = `${this.model}|${id}`;
      // Two parallel redemptions both read "not consumed"; only one may win (RFC 6749 §4.1.2). Held, the loser's
      // held writes are not stored and its answer becomes invalid_grant (request-scope.ts scopeProviderRequests).
      if (scope && consumedWithHeld.has(this.model) && !scope.held.has(key)) {
        scope.consumed.set(key, { model: this.model, id, at: clock.now() });
        return;
      }
      await PostgresAdapter.writeHeld(scope);
      if (!(await payloads.consume(this.model, id, clock.now()))) throw lostRedemption();
    }

    async destroy(id: string): Promise<void> {
      if (id.includes('\u0000')) return;
      const scope = currentScope();
      forgetModel(scope, this.model);
      if (scope?.consumed.has(`${this.model}|${id}`)) await PostgresAdapter.writeHeld(scope);
      if (scope) {
        scope.held.set(`${this.model}|${id}`, { model: this.model, id, destroyed: true });
        return;
      }
      await payloads.destroy(this.model, id);
    }

    /** Revokes this model's records issued under a grant; oidc-provider calls it per model (code reuse, revocation). */
    async revokeByGrantId(grantId: string): Promise<void> {
      const scope = currentScope();
      forgetModel(scope, this.model);
      await PostgresAdapter.writeHeld(scope);
      await payloads.revokeByGrantId(this.model, grantId);
    }
  };
}

/**
 * The fields of a record the table keeps in columns of their own (payload-write-repository.ts), copied as they are
 * now. Held writes keep these and the JSON text: a later find in the request parses the text, as a database read
 * would, and a write that is never read again costs no copy.
 */
function indexed(payload: Payload): Payload {
  const { grantId, userCode, uid, accountId, clientId } = payload;
  return { grantId, userCode, uid, accountId, clientId };
}

/** The payload key of a column a record is found by. */
const key = { id: 'jti', uid: 'uid', user_code: 'userCode' } as const;

/** oidc-provider reads `consumed` (seconds) off the payload to detect a second use. */
function withConsumed(row: ReadRecord): Payload {
  return row.consumed_at
    ? { ...row.payload, consumed: Math.floor(new Date(row.consumed_at).getTime() / 1000) }
    : row.payload;
}
