import type { AppContext } from '../context.ts';
import type { SsoSession } from './sso-session-repository.ts';

/**
 * Ends this browser's SSO session with its audit entry, in one transaction,
 * and answers the first page of the services' logout walk when a protocol
 * needs one (logout-fan-out.ts; SAML services hear of it through the
 * browser, one after the other, saml-profiles §4.4). Without `continueTo`
 * there is no walk.
 */
export function endInBrowser(
  app: AppContext,
  token: string | undefined,
  session: SsoSession | undefined,
  continueTo: string | undefined,
): Promise<string | undefined> {
  return app.db.transaction(async (tx) => {
    const walk =
      session && continueTo ? await app.logout.browserLogout(tx, { sessionId: session.id, continueTo }) : undefined;
    await app.sessions.end(token, tx);
    if (session)
      await app.audit.record(tx, {
        actor: `account:${session.accountId}`,
        action: 'logout',
        subject: `account:${session.accountId}`,
        outcome: 'success',
      });
    return walk;
  });
}
