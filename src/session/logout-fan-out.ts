import type { Queryable } from '../platform/db/database.ts';

/**
 * What one protocol does when SSO sessions end, for the services that took
 * part in them (DESIGN.md §5a). Each protocol registers one at build time
 * (app.ts); the session code calls them all and names none.
 */
export interface ParticipationEnder {
  /**
   * A logout in the browser: the first page of a walk through this
   * protocol's services (front-channel, e.g. SAML LogoutRequests) before
   * the browser goes on to `continueTo`, or undefined when there is none.
   * Called in the transaction that ends the session.
   */
  browserLogout?(tx: Queryable, o: { sessionId: string; continueTo: string }): Promise<string | undefined>;
  /**
   * Every login of the account ends without its browser (password reset,
   * account deletion): the services are told by back-channel and what they
   * hold is revoked. Called before the account's sessions are deleted.
   */
  endAccount?(tx: Queryable, accountId: string): Promise<void>;
}

/** The registered enders as one: logout code calls this, never a protocol. */
export function logoutFanOut(enders: readonly ParticipationEnder[]) {
  return {
    /** The first page of the browser's walk through the services, when one protocol needs one. */
    async browserLogout(tx: Queryable, o: { sessionId: string; continueTo: string }): Promise<string | undefined> {
      for (const ender of enders) {
        const next = await ender.browserLogout?.(tx, o);
        if (next) return next;
      }
      return undefined;
    },
    async endAccount(tx: Queryable, accountId: string): Promise<void> {
      for (const ender of enders) await ender.endAccount?.(tx, accountId);
    },
  };
}

export type LogoutFanOut = ReturnType<typeof logoutFanOut>;
