import { errors } from 'oidc-provider';
import type { Clock } from '../platform/clock.ts';
import type { Queryable } from '../platform/db/database.ts';
import { holdsNul } from '../platform/db/errors.ts';
import { serviceRepository, type ServiceRepository } from '../services/service-repository.ts';
import { payloadRepository, type Payload, type PayloadKey } from './payload-repository.ts';

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
      await payloads.upsert(this.model, id, payload, expiresAt);
    }

    async find(id: string): Promise<Payload | undefined> {
      // No stored id holds NUL (PostgreSQL text cannot): such an id is simply unknown.
      if (id.includes('\u0000')) return undefined;
      if (this.model === 'Client') return services.oidcConfig(id);
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
      const row = await payloads.findBy(this.model, column, value, clock.now());
      if (!row) return undefined;
      return row.consumed_at
        ? { ...row.payload, consumed: Math.floor(new Date(row.consumed_at).getTime() / 1000) }
        : row.payload;
    }

    /** Marks a code or token used; a second use is then detected by oidc-provider (RFC 6749 §4.1.2). */
    async consume(id: string): Promise<void> {
      // Two parallel redemptions both read "not consumed"; only one may win (RFC 6749 §4.1.2).
      if (!(await payloads.consume(this.model, id, clock.now())))
        throw new errors.InvalidGrant('grant request is invalid');
    }

    async destroy(id: string): Promise<void> {
      if (id.includes('\u0000')) return;
      await payloads.destroy(this.model, id);
    }

    /** Revokes this model's records issued under a grant; oidc-provider calls it per model (code reuse, revocation). */
    async revokeByGrantId(grantId: string): Promise<void> {
      await payloads.revokeByGrantId(this.model, grantId);
    }
  };
}
