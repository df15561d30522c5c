import type { Clock } from '../../platform/clock.ts';
import type { Queryable } from '../../platform/db/database.ts';
import { hashToken, randomToken } from '../../platform/crypto/tokens.ts';
import type { Level } from '../../session/limits.ts';
import type { Language } from '../../text/index.ts';
import type { Vocabulary } from '../profile/authn-context.ts';
import type { AskedAttribute } from '../profile/release.ts';
import type { SeenMessage } from '../inbound.ts';
import { refuseMessage } from '../refusal.ts';

/** A checked AuthnRequest, reduced to what the login needs (nothing of it is read again from XML). */
export interface SamlLoginRequest {
  requestId: string;
  serviceId: string;
  /** The ACS the Response goes to, taken from the metadata. */
  acsUrl: string;
  relayState: string | undefined;
  requiredLevel: Level;
  vocabulary: Vocabulary;
  forceAuthn: boolean;
  isPassive: boolean;
  nameIdFormat: 'transient' | 'persistent';
  /**
   * From the AKDB extension, or the login facts and the service's registered list (all optional and `byDefault` then).
   */
  requestedAttributes: AskedAttribute[];
  /** Login methods of ours the request allows (AKDB AuthnMethods); undefined: all. */
  allowedMethods: string[] | undefined;
  /** AKDB DisplayInformation. */
  displayName: string | undefined;
  lang: Language | undefined;
  backUrl: string | undefined;
  onlineServiceId: string | undefined;
  /** When the request arrived: ForceAuthn needs a login after this. */
  receivedAt: string;
}

/** How long a citizen may take from the request to the answer. */
const lifetimeSeconds = 30 * 60;

export interface PendingSamlLogin {
  uid: string;
  request: SamlLoginRequest;
  completed: boolean;
  /**
   * Set while the login exists only in the request that brought it: stores
   * it. A login answered at once (the citizen's session suffices) is never
   * stored, which saves two writes per single sign-on; one that sends the
   * browser to a page of ours must be stored first (`storedBeforePage`).
   * False when the request's id was seen before.
   */
  store?: () => Promise<boolean>;
  /**
   * The id of the request that brought the login, not yet recorded as seen:
   * the answer's transaction records it (answer.ts), or `store` does.
   */
  seen?: SeenMessage;
}

/** Stores a login that is only in this request, before the browser is sent to one of its pages. */
export async function storedBeforePage(pending: PendingSamlLogin): Promise<void> {
  const store = pending.store;
  if (!store) return;
  if (!(await store())) refuseMessage('request', 'saml-request-replayed', pending.request.serviceId);
  delete pending.store;
  delete pending.seen;
}

/**
 * Pending SAML logins, bound to the browser that brought the request by a
 * cookie token (only its hash is stored), so another browser with the uid
 * gets nowhere (the same idea as oidc-provider's interaction cookie).
 */
export function pendingSamlLogins(db: Queryable, clock: Clock) {
  return {
    /**
     * A new login for a request, not yet stored (see `PendingSamlLogin.store`);
     * a browser that already has a token keeps it, so logins in two tabs do
     * not evict each other.
     */
    prepare(
      request: SamlLoginRequest,
      existingToken: string | undefined,
      seen?: SeenMessage,
    ): { pending: PendingSamlLogin; browserToken: string } {
      const uid = `s_${randomToken(18)}`;
      const browserToken = existingToken && /^[A-Za-z0-9_-]{43}$/.test(existingToken) ? existingToken : randomToken();
      const store = async (): Promise<boolean> => {
        const now = clock.now();
        const login = [
          uid,
          hashToken(browserToken),
          request.serviceId,
          JSON.stringify(request),
          now,
          new Date(now.getTime() + lifetimeSeconds * 1000),
        ];
        if (!seen) {
          await db.query(
            'INSERT INTO saml_pending_logins (uid, browser_hash, service_id, request, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)',
            login,
          );
          return true;
        }
        // The request's id and the login in one statement: stored only when the id is new (replay, inbound.ts).
        const result = await db.query(
          `WITH seen AS (
             INSERT INTO saml_seen_ids (service_id, message_id, expires_at) VALUES ($7, $8, $9)
             ON CONFLICT DO NOTHING RETURNING 1
           )
           INSERT INTO saml_pending_logins (uid, browser_hash, service_id, request, created_at, expires_at)
           SELECT $1::text, $2::text, $3::text, $4::jsonb, $5::timestamptz, $6::timestamptz WHERE EXISTS (SELECT 1 FROM seen)`,
          [...login, seen.serviceId, seen.messageId, seen.expiresAt],
        );
        return result.rowCount === 1;
      };
      return { pending: { uid, request, completed: false, store, ...(seen ? { seen } : {}) }, browserToken };
    },
    async load(uid: string, browserToken: string | undefined): Promise<PendingSamlLogin | undefined> {
      if (!browserToken || uid.length > 100) return undefined;
      const result = await db.query<{ uid: string; request: SamlLoginRequest; completed_at: Date | null }>(
        'SELECT uid, request, completed_at FROM saml_pending_logins WHERE uid = $1 AND browser_hash = $2 AND expires_at > $3',
        [uid, hashToken(browserToken), clock.now()],
      );
      const row = result.rows[0];
      return row ? { uid: row.uid, request: row.request, completed: row.completed_at !== null } : undefined;
    },
    /** Marks the login answered; false when it was answered already (a second answer to one request is never sent). */
    async complete(tx: Queryable, uid: string): Promise<boolean> {
      const result = await tx.query(
        'UPDATE saml_pending_logins SET completed_at = $2 WHERE uid = $1 AND completed_at IS NULL',
        [uid, clock.now()],
      );
      return result.rowCount === 1;
    },
  };
}

export type PendingSamlLogins = ReturnType<typeof pendingSamlLogins>;
