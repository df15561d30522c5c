import type { Queryable } from '../platform/db/database.ts';

/** A record of oidc-provider (session, grant, code, token…) as it keeps it. */
export type Payload = Record<string, unknown> & {
  grantId?: string;
  userCode?: string;
  uid?: string;
  accountId?: string;
  clientId?: string;
  consumed?: unknown;
};

/** The columns a record is found by besides its id. */
export type PayloadKey = 'id' | 'uid' | 'user_code';

/**
 * oidc-provider's records in `oidc_payloads` (DESIGN.md §5: nothing that
 * matters lives in process memory), with the guest logins' sealed claims
 * kept beside them so housekeeping deletes both.
 */
export function payloadRepository(db: Queryable) {
  const live = 'AND (expires_at IS NULL OR expires_at > $3)';
  return {
    async upsert(model: string, id: string, payload: Payload, expiresAt: Date | null): Promise<void> {
      await db.query(
        `INSERT INTO oidc_payloads (model, id, payload, grant_id, user_code, uid, account_id, client_id, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (model, id) DO UPDATE SET payload = EXCLUDED.payload, grant_id = EXCLUDED.grant_id, user_code = EXCLUDED.user_code,
           uid = EXCLUDED.uid, account_id = EXCLUDED.account_id, client_id = EXCLUDED.client_id, expires_at = EXCLUDED.expires_at`,
        [
          model,
          id,
          JSON.stringify(payload),
          payload.grantId ?? null,
          payload.userCode ?? null,
          payload.uid ?? null,
          payload.accountId ?? null,
          payload.clientId ?? null,
          expiresAt,
        ],
      );
    },
    /** The live record of the model, with when it was consumed. */
    async findBy(
      model: string,
      column: PayloadKey,
      value: string,
      now: Date,
    ): Promise<{ payload: Payload; consumed_at: Date | null } | undefined> {
      const result = await db.query<{ payload: Payload; consumed_at: Date | null }>(
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
