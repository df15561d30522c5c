/**
 * Exports `guestClaimsStore(db, clock)`, `isGuestId(id)`, `newGuestId()`
 * and `guestTtlSeconds`: what an OIDC guest login released, for the token
 * and userinfo endpoints (oidc/provider.ts `findAccount`).
 *
 * No account exists: the id is `guest:` and 24 random bytes, one per login.
 * The pairwise `sub` oidc-provider derives from it (oidc/pairwise.ts) is
 * therefore one-time too: it is no pseudonym, and a service cannot
 * recognise the citizen by it (design notes §6 Guest login).
 *
 * The claims are sealed (AES-GCM, own installation key) and kept with the
 * protocol records in `oidc_payloads`, so housekeeping deletes them with the
 * tokens; they live `guestTtlSeconds` from the citizen's consent, and every
 * guest token ends before them (provider.ts ttl).
 */
import type { Clock } from '../platform/clock.ts';
import { installationSecret } from '../platform/crypto/installation-secrets.ts';
import { secretBox, type SecretBox } from '../platform/crypto/secret-box.ts';
import { randomToken } from '../platform/crypto/tokens.ts';
import type { Queryable } from '../platform/db/database.ts';
import type { Claims } from './claims.ts';
import { payloadRepository } from './payload-repository.ts';

/** Everything of a guest login is gone 10 minutes after the consent (the eID transaction's lifetime). */
export const guestTtlSeconds = 10 * 60;

const prefix = 'guest:';
const model = 'GuestClaims';

export function isGuestId(id: string | undefined): boolean {
  return id?.startsWith(prefix) === true;
}

export function newGuestId(): string {
  return `${prefix}${randomToken(24)}`;
}

export function guestClaimsStore(db: Queryable, clock: Clock) {
  let box: Promise<SecretBox> | undefined;
  // The key is made outside any transaction: a rolled-back one must not leave a key only this process knows.
  const sealer = () => (box ??= installationSecret(db, 'guest_claims_key').then(secretBox));
  return {
    /** Call before the transaction that saves. */
    async prepare(): Promise<void> {
      await sealer();
    },
    async save(guestId: string, clientId: string, claims: Claims, tx: Queryable = db): Promise<void> {
      const sealed = (await sealer()).seal(JSON.stringify(claims));
      await payloadRepository(tx).insertGuestClaims(
        model,
        guestId,
        sealed,
        clientId,
        new Date(clock.now().getTime() + guestTtlSeconds * 1000),
      );
    },
    async find(guestId: string): Promise<Claims | undefined> {
      if (!isGuestId(guestId) || guestId.length > 100) return undefined;
      const payload = await payloadRepository(db).guestClaims(model, guestId, clock.now());
      return payload ? (JSON.parse((await sealer()).open(payload.claims)) as Claims) : undefined;
    },
  };
}

export type GuestClaimsStore = ReturnType<typeof guestClaimsStore>;
