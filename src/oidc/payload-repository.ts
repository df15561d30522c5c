import type { Queryable } from '../platform/db/database.ts';
import { plannedPerExecution } from '../platform/db/prepared-statements.ts';
import {
  writeGroups,
  type ConsumedRecord,
  type Payload,
  type PayloadId,
  type StoredRecord,
} from './payload-write-repository.ts';
import { resumedColumns, resumedSession, resumeStatement, type SsoSession } from '../session/sso-session-repository.ts';
import {
  asAccountId,
  claimsSourceColumns,
  toClaimsSource,
  type ClaimsSource,
  type ClaimsSourceRow,
} from './claims-source-repository.ts';

export type { ConsumedRecord, Payload, PayloadId, StoredRecord } from './payload-write-repository.ts';

/** A stored record as read, with when it was consumed. */
export interface ReadRecord {
  payload: Payload;
  consumed_at: Date | null;
}

/**
 * A token and what was read with it; `null` where the token names a record (or account) that does not exist or no
 * longer lives, undefined where it names none.
 */
export interface TokenWithContext {
  token: ReadRecord;
  session: { uid: string; payload: Payload | null } | undefined;
  grant: { id: string; payload: Payload | null } | undefined;
  account: ClaimsSource | null | undefined;
}

type TokenWithContextRow = ReadRecord & {
  session_uid: string | null;
  session_payload: Payload | null;
  grant_id: string | null;
  grant_payload: Payload | null;
} & ClaimsSourceRow;

/** A token to look up: its model and id, live at `now`. */
export interface TokenLookup {
  model: string;
  id: string;
  now: Date;
}

function tokenWithContext(row: TokenWithContextRow): TokenWithContext {
  return {
    token: { payload: row.payload, consumed_at: row.consumed_at },
    session:
      row.session_uid !== null && row.payload.expiresWithSession === true
        ? { uid: row.session_uid, payload: row.session_payload }
        : undefined,
    grant: row.grant_id !== null ? { id: row.grant_id, payload: row.grant_payload } : undefined,
    account: row.payload.accountId === undefined ? undefined : (toClaimsSource(row) ?? null),
  };
}

/** An interaction and what was read with it (findInteractionWithContext). */
export interface InteractionWithContext {
  interaction: ReadRecord;
  /** The account its login result names. */
  accountId: string | undefined;
  /** That account with its attributes; null when it does not exist (or is a guest's). */
  account?: ClaimsSource | null;
  /** The scopes the account consented to at the interaction's service; null: no (active) consent. */
  consent?: { clientId: string; scopes: string[] | null };
  /** The SSO session resumed in the same statement, when a cookie was given. */
  sso: { session: SsoSession | undefined } | undefined;
}

type InteractionWithContextRow = ReadRecord & {
  login_account_id: string | null;
  consent_scopes: string[] | null;
} & ClaimsSourceRow;

/** The columns a record is found by besides its id. */
export type PayloadKey = 'id' | 'uid' | 'user_code';

/**
 * oidc-provider's records in `oidc_payloads` (DESIGN.md §5: nothing that
 * matters lives in process memory), with the guest logins' sealed claims
 * kept beside them so housekeeping deletes both.
 */
export function payloadRepository(db: Queryable) {
  const live = 'AND (expires_at IS NULL OR expires_at > $3)';
  /**
   * Several records written and others deleted in one statement (issue 16: one round trip for what a request of
   * the provider wrote), the codes and tokens it redeemed marked used in the same one (payload-write-repository.ts).
   * False when one of `consumed` was used already, by a parallel redemption (RFC 6749 §4.1.2, §10.4): then nothing
   * is written or deleted, for the request lost and nothing of it may be stored.
   */
  async function writeMany(
    records: readonly StoredRecord[],
    deleted: readonly PayloadId[] = [],
    consumed: readonly ConsumedRecord[] = [],
  ): Promise<boolean> {
    const [won] = await writeGroups(db, [{ records, deleted, consumed }]);
    return won === true;
  }
  /**
   * Live tokens with what oidc-provider asks for next when it takes one in (token and userinfo endpoints): the
   * session each is bound to (only when it ends with it: oidc-provider's checkSessionBinding), its grant, and its
   * account with the attributes its claims are made of. One round trip instead of four (issue 16), and one for the
   * lookups of concurrent requests (adapter.ts; coalesced-statements.ts): one answer per lookup, in their order.
   */
  async function findTokensWithContext(lookups: readonly TokenLookup[]): Promise<(TokenWithContext | undefined)[]> {
    const result = await db.query<TokenWithContextRow & { n: number }>(
      `${plannedPerExecution}SELECT q.n::int AS n, t.payload, t.consumed_at, t.payload->>'sessionUid' AS session_uid,
         s.payload AS session_payload, t.grant_id, g.payload AS grant_payload, ${claimsSourceColumns('a')}
       FROM unnest($1::text[], $2::text[], $3::timestamptz[]) WITH ORDINALITY AS q(model, id, now, n)
       JOIN oidc_payloads t ON t.model = q.model AND t.id = q.id AND (t.expires_at IS NULL OR t.expires_at > q.now)
       LEFT JOIN oidc_payloads s ON s.model = 'Session' AND s.uid = t.payload->>'sessionUid'
         AND t.payload->'expiresWithSession' = 'true' AND (s.expires_at IS NULL OR s.expires_at > q.now)
       LEFT JOIN oidc_payloads g ON g.model = 'Grant' AND g.id = t.grant_id
         AND (g.expires_at IS NULL OR g.expires_at > q.now)
       LEFT JOIN accounts a ON a.id = ${asAccountId('t.account_id')}`,
      [lookups.map((l) => l.model), lookups.map((l) => l.id), lookups.map((l) => l.now.toISOString())],
    );
    const found: (TokenWithContext | undefined)[] = lookups.map(() => undefined);
    for (const row of result.rows) found[row.n - 1] = tokenWithContext(row);
    return found;
  }
  return {
    async upsert(model: string, id: string, payload: Payload, expiresAt: Date | null): Promise<void> {
      await writeMany([{ model, id, payload, expiresAt }]);
    },
    writeMany,
    findTokensWithContext,
    /**
     * A live interaction with what oidc-provider asks for next when it resumes one whose login is done: the account
     * (findAccount) and its remembered consent at the interaction's service (loadExistingGrant). One round trip
     * instead of three (issue 16). `account` and `consent` are undefined when the interaction names no account.
     */
    async findInteractionWithContext(
      id: string,
      now: Date,
      ssoToken?: string,
    ): Promise<InteractionWithContext | undefined> {
      // The browser's SSO session, which the interaction policy resumes next (interaction-policy.ts).
      const resuming = resumeStatement(ssoToken, now, 3);
      const result = await db.query<InteractionWithContextRow>(
        `${resuming ? `WITH ${resuming.ctes} ` : ''}SELECT i.payload, i.consumed_at,
           i.payload->'result'->'login'->>'accountId' AS login_account_id,
           c.scopes AS consent_scopes, ${claimsSourceColumns('a')}${resuming ? `, ${resumedColumns('r', 'sso_')}` : ''}
         FROM oidc_payloads i${resuming ? ' LEFT JOIN resumed r ON true' : ''}
         LEFT JOIN accounts a ON a.id = ${asAccountId("i.payload->'result'->'login'->>'accountId'")}
         LEFT JOIN consents c ON c.account_id = a.id AND c.service_id = i.payload->'params'->>'client_id'
           AND c.revoked_at IS NULL
         WHERE i.model = 'Interaction' AND i.id = $1 AND (i.expires_at IS NULL OR i.expires_at > $2)`,
        [id, now, ...(resuming?.params ?? [])],
      );
      const row = result.rows[0];
      if (!row) return undefined;
      const interaction = { payload: row.payload, consumed_at: row.consumed_at };
      const sso = resuming && { session: resumedSession(row, 'sso_') };
      const accountId = row.login_account_id ?? undefined;
      const clientId = (row.payload.params as { client_id?: unknown } | undefined)?.client_id;
      if (accountId === undefined) return { interaction, accountId, sso };
      return {
        interaction,
        accountId,
        sso,
        account: toClaimsSource(row) ?? null,
        consent: typeof clientId === 'string' ? { clientId, scopes: row.consent_scopes } : undefined,
      };
    },
    /** The live record of the model, with when it was consumed. */
    async findBy(model: string, column: PayloadKey, value: string, now: Date): Promise<ReadRecord | undefined> {
      const result = await db.query<ReadRecord>(
        `SELECT payload, consumed_at FROM oidc_payloads WHERE model = $1 AND ${column} = $2 ${live}`,
        [model, value, now],
      );
      return result.rows[0];
    },
    /** Marks a code or token used; false when it was used already. */
    async consume(model: string, id: string, now: Date): Promise<boolean> {
      const result = await db.query(
        'UPDATE oidc_payloads SET consumed_at = $3 WHERE model = $1 AND id = $2 AND consumed_at IS NULL',
        [model, id, now],
      );
      return result.rowCount !== 0;
    },
    async destroy(model: string, id: string): Promise<void> {
      await db.query('DELETE FROM oidc_payloads WHERE model = $1 AND id = $2', [model, id]);
    },
    async revokeByGrantId(model: string, grantId: string): Promise<void> {
      await db.query('DELETE FROM oidc_payloads WHERE model = $1 AND grant_id = $2', [model, grantId]);
    },
    /** The provider sessions of an account, for their back-channel logout notices. */
    async sessionsOf(accountId: string): Promise<{ payload: { authorizations?: Record<string, { sid?: string }> } }[]> {
      const sessions = await db.query<{ payload: { authorizations?: Record<string, { sid?: string }> } }>(
        "SELECT payload FROM oidc_payloads WHERE model = 'Session' AND account_id = $1",
        [accountId],
      );
      return sessions.rows;
    },
    async insertGuestClaims(
      model: string,
      guestId: string,
      sealed: string,
      clientId: string,
      expiresAt: Date,
    ): Promise<void> {
      await db.query(
        'INSERT INTO oidc_payloads (model, id, payload, account_id, client_id, expires_at) VALUES ($1, $2, $3, $2, $4, $5)',
        [model, guestId, JSON.stringify({ claims: sealed }), clientId, expiresAt],
      );
    },
    /** The sealed claims of a guest login, while they live. */
    async guestClaims(model: string, guestId: string, now: Date): Promise<{ claims: string } | undefined> {
      const result = await db.query<{ payload: { claims: string } }>(
        'SELECT payload FROM oidc_payloads WHERE model = $1 AND id = $2 AND expires_at > $3',
        [model, guestId, now],
      );
      return result.rows[0]?.payload;
    },
  };
}

export type PayloadRepository = ReturnType<typeof payloadRepository>;

/** Removes every code, token and grant of an account at a service (consent revoked, account deleted). */
export async function revokeTokensOf(db: Queryable, accountId: string, clientId?: string): Promise<number> {
  const result = clientId
    ? await db.query("DELETE FROM oidc_payloads WHERE account_id = $1 AND client_id = $2 AND model <> 'Session'", [
        accountId,
        clientId,
      ])
    : await db.query('DELETE FROM oidc_payloads WHERE account_id = $1', [accountId]);
  return result.rowCount;
}

/**
 * Everything one client holds or may redeem (codes, grants, access and refresh tokens), when its registration is
 * removed (`servicekonto client remove`). Provider sessions stay: they are the citizen's, shared with other services.
 */
export async function revokeClientTokens(db: Queryable, clientId: string): Promise<number> {
  const result = await db.query("DELETE FROM oidc_payloads WHERE client_id = $1 AND model <> 'Session'", [clientId]);
  return result.rowCount;
}

/** Deletes expired protocol records; run by the housekeeping job. */
export async function deleteExpiredPayloads(db: Queryable, now: Date): Promise<number> {
  const result = await db.query('DELETE FROM oidc_payloads WHERE expires_at IS NOT NULL AND expires_at <= $1', [now]);
  return result.rowCount;
}
