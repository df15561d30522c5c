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
   * The account's sessions end without this protocol's browser walk (a
   * logout another protocol's service asked for, a password reset): the
   * services are told by back-channel. Called before the sessions go.
   */
  notifyAccount?(tx: Queryable, accountId: string): Promise<void>;
  /**
   * The account is about to be deleted: the services that hold its consent hear of it as far as the protocol can
   * reach them without a browser (DESIGN.md §7). Returns the ids of the services told. Called before `notifyAccount`.
   */
  notifyDeletion?(tx: Queryable, accountId: string): Promise<string[]>;
  /** What the services hold for the account (tokens) stops working: its credentials changed or it is gone. */
  revokeAccount?(tx: Queryable, accountId: string): Promise<void>;
  /** What one service holds for the account stops working: the citizen withdrew the consent given to it. */
  revokeService?(tx: Queryable, accountId: string, serviceId: string): Promise<void>;
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
    /** Back-channel notices of every protocol for the account's sessions. */
    async notifyAccount(tx: Queryable, accountId: string): Promise<void> {
      for (const ender of enders) await ender.notifyAccount?.(tx, accountId);
    },
    /**
     * Every login of the account ends without its browser: notices first, while the sessions exist, then revocation.
     */
    async endAccount(tx: Queryable, accountId: string): Promise<void> {
      for (const ender of enders) await ender.notifyAccount?.(tx, accountId);
      for (const ender of enders) await ender.revokeAccount?.(tx, accountId);
    },
    /** Before a deletion: what each protocol tells the services holding consent; the ids of the services told. */
    async notifyDeletion(tx: Queryable, accountId: string): Promise<string[]> {
      const told: string[] = [];
      for (const ender of enders) told.push(...((await ender.notifyDeletion?.(tx, accountId)) ?? []));
      return told;
    },
    /** The account's tokens at one service stop working (consent withdrawn), whichever protocol it speaks. */
    async revokeService(tx: Queryable, accountId: string, serviceId: string): Promise<void> {
      for (const ender of enders) await ender.revokeService?.(tx, accountId, serviceId);
    },
  };
}

export type LogoutFanOut = ReturnType<typeof logoutFanOut>;
