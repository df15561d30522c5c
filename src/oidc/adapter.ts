import { errors } from 'oidc-provider';
import type { Clock } from '../platform/clock.ts';
import type { Queryable } from '../platform/db/database.ts';
import { holdsNul } from '../platform/db/errors.ts';

type Payload = Record<string, unknown> & {
  grantId?: string;
  userCode?: string;
  uid?: string;
  accountId?: string;
  clientId?: string;
  consumed?: unknown;
};

/**
 * oidc-provider's storage adapter on PostgreSQL (DESIGN.md §5: nothing that
 * matters lives in process memory). Clients are read from the services table,
 * so a service registered by the CLI or the admin is live at once.
 */
export function createOidcAdapter(db: Queryable, clock: Clock) {
  const live = 'AND (expires_at IS NULL OR expires_at > $3)';

  return class PostgresAdapter {
    readonly model: string;

    constructor(model: string) {
      this.model = model;
    }

    async upsert(id: string, payload: Payload, expiresIn?: number): Promise<void> {
      if (this.model === 'Client') throw new Error('clients are managed through the services table');
      // A request parameter the provider keeps (a state, a nonce, a body parameter) with NUL: jsonb cannot
      // hold it (SQLSTATE 22P05), so it is the client's invalid request (RFC 6749 §5.2), not a server error.
      if (holdsNul(payload)) throw new errors.InvalidRequest('a parameter contains the NUL character');
      const expiresAt = expiresIn ? new Date(clock.now().getTime() + expiresIn * 1000) : null;
      await db.query(
        `INSERT INTO oidc_payloads (model, id, payload, grant_id, user_code, uid, account_id, client_id, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (model, id) DO UPDATE SET payload = EXCLUDED.payload, grant_id = EXCLUDED.grant_id, user_code = EXCLUDED.user_code,
           uid = EXCLUDED.uid, account_id = EXCLUDED.account_id, client_id = EXCLUDED.client_id, expires_at = EXCLUDED.expires_at`,
        [
          this.model,
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
    }

    async find(id: string): Promise<Payload | undefined> {
      // No stored id holds NUL (PostgreSQL text cannot): such an id is simply unknown.
      if (id.includes('\u0000')) return undefined;
      if (this.model === 'Client') {
        const result = await db.query<{ config: Payload }>(
          "SELECT config FROM services WHERE id = $1 AND protocol = 'oidc'",
          [id],
        );
        return result.rows[0]?.config;
      }
      return this.findBy('id', id);
    }

    findByUid(uid: string): Promise<Payload | undefined> {
      return this.findBy('uid', uid);
    }

    findByUserCode(userCode: string): Promise<Payload | undefined> {
      return this.findBy('user_code', userCode);
    }

    private async findBy(column: 'id' | 'uid' | 'user_code', value: string): Promise<Payload | undefined> {
      if (value.includes('\u0000')) return undefined;
      const result = await db.query<{ payload: Payload; consumed_at: Date | null }>(
        `SELECT payload, consumed_at FROM oidc_payloads WHERE model = $1 AND ${column} = $2 ${live}`,
        [this.model, value, clock.now()],
      );
      const row = result.rows[0];
      if (!row) return undefined;
      return row.consumed_at
        ? { ...row.payload, consumed: Math.floor(new Date(row.consumed_at).getTime() / 1000) }
        : row.payload;
    }

    /** Marks a code or token used; a second use is then detected by oidc-provider (RFC 6749 §4.1.2). */
    async consume(id: string): Promise<void> {
      const result = await db.query(
        'UPDATE oidc_payloads SET consumed_at = $3 WHERE model = $1 AND id = $2 AND consumed_at IS NULL',
        [this.model, id, clock.now()],
      );
      // Two parallel redemptions both read "not consumed"; only one may win (RFC 6749 §4.1.2).
      if (result.rowCount === 0) throw new errors.InvalidGrant('grant request is invalid');
    }

    async destroy(id: string): Promise<void> {
      if (id.includes('\u0000')) return;
      await db.query('DELETE FROM oidc_payloads WHERE model = $1 AND id = $2', [this.model, id]);
    }

    /** Revokes this model's records issued under a grant; oidc-provider calls it per model (code reuse, revocation). */
    async revokeByGrantId(grantId: string): Promise<void> {
      await db.query('DELETE FROM oidc_payloads WHERE model = $1 AND grant_id = $2', [this.model, grantId]);
    }
  };
}

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

/** Deletes expired protocol records; run by the housekeeping job. */
export async function deleteExpiredPayloads(db: Queryable, now: Date): Promise<number> {
  const result = await db.query('DELETE FROM oidc_payloads WHERE expires_at IS NOT NULL AND expires_at <= $1', [now]);
  return result.rowCount;
}
