import type { AppContext } from '../context.ts';
import { revokeTokensOf } from '../oidc/adapter.ts';
import type { Queryable } from '../platform/db/database.ts';

/**
 * Ends the account's logins everywhere, as a password reset always did:
 * back-channel logout notices for every OIDC session (OpenID Connect
 * Back-Channel Logout 1.0 §2.5, queued before those sessions go), every
 * other SSO session, and every code, refresh and access token (RFC 6819
 * §5.2.2.3: revoke refresh tokens when the credentials change). Only
 * `keepSessionId`, the browser that made the change, stays logged in here.
 */
export async function endLoginsEverywhere(app: AppContext, tx: Queryable, accountId: string, keepSessionId?: string): Promise<void> {
  await app.serviceLogout.queue(tx, accountId);
  await app.sessions.endAllFor(accountId, tx, keepSessionId);
  await revokeTokensOf(tx, accountId);
}
