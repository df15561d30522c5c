import type { AppContext } from '../../context.ts';
import { blockMeansRows } from '../../methods/means-repository.ts';
import { endLoginsEverywhere } from '../../session/end-everywhere.ts';

/** The kinds of the backups that stand in for one of these kinds (recovery codes for the app). */
export function backupKindsOf(app: AppContext, kinds: readonly string[]): string[] {
  return app.methods.list
    .filter((m) => m.factor === 'backup' && m.standsInFor !== undefined && kinds.includes(m.standsInFor))
    .flatMap((m) => m.kinds);
}

/**
 * Blocks lost means without using them (TR-03160-1): they stay listed as
 * blocked and can never be used again. Every other session of the account
 * ends, and every service's tokens with it (session/end-everywhere.ts),
 * since whoever has the device may be logged in; the citizen gets a
 * mail. Through the e-mail link (no second factor shown) the account is
 * marked, so that new tokens reach substanziell only from a session of that
 * level (methods/second-factors.ts). Answers how many were blocked.
 */
export async function blockMeans(
  app: AppContext,
  o: { accountId: string; meansIds: string[]; keepSessionId: string | undefined; byEmailLink: boolean },
): Promise<number> {
  const account = await app.accounts.byId(o.accountId);
  if (!account || o.meansIds.length === 0) return 0;
  const now = app.clock.now();
  const kinds = await app.db.transaction(async (tx) => {
    const blocked = await blockMeansRows(tx, {
      accountId: o.accountId,
      meansIds: o.meansIds,
      kinds: app.methods.kinds('second'),
      at: now,
    });
    if (blocked.length === 0) return blocked;
    // Recovery codes belong to the app; whoever holds a lost phone may hold them too.
    const backups = backupKindsOf(app, blocked);
    if (backups.length > 0) await blockMeansRows(tx, { accountId: o.accountId, kinds: backups, at: now });
    if (o.byEmailLink) await app.repos(tx).accounts.markMeansReset(o.accountId, now);
    await endLoginsEverywhere(app, tx, o.accountId, o.keepSessionId);
    await app.mailer.queue(tx, {
      to: account.email,
      lang: account.language,
      template: 'meansBlocked',
      params: { username: account.username, count: blocked.length },
    });
    await app.audit.account(tx, o.accountId, 'means.blocked', {
      kinds: blocked.join(' '),
      via: o.byEmailLink ? 'email_link' : 'session',
    });
    return blocked;
  });
  return kinds.length;
}
