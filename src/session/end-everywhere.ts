import type { AppContext } from '../context.ts';
import type { Queryable } from '../platform/db/database.ts';

/**
 * Ends the account's logins everywhere, as a password reset always did:
 * what each protocol registered (for OIDC: back-channel logout notices and
 * every token, RFC 6819 §5.2.2.3), and every other SSO session. Only
 * `keepSessionId`, the browser that made the change, stays logged in here.
 */
export async function endLoginsEverywhere(
  app: AppContext,
  tx: Queryable,
  accountId: string,
  keepSessionId?: string,
): Promise<void> {
  // Each protocol's services first (logout-fan-out.ts), while the sessions they name still exist.
  await app.logout.endAccount(tx, accountId);
  await app.sessions.endAllFor(accountId, tx, keepSessionId);
}
