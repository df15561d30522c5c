/**
 * Exports `recoveryAccount(app, reading, identifier)`: whose account a card
 * may recover (design notes §6 Recovery by eID, step 1).
 *
 * - A linked card names its account; a blocked link (the citizen reported
 *   the card lost) recovers nothing.
 * - A card not linked yet (a new card, a Smart-eID) recovers the account the
 *   citizen names only when the card's names and date of birth equal the
 *   account's data verified at hoch (`sameHolder`, TR-03160-1
 *   re-verification). Unknown name and mismatch look the same.
 * - A locked account is not unlocked by a recovery.
 */
import type { AppContext } from '../../../context.ts';
import type { Account } from '../../../identity/account-repository.ts';
import { identityFromCard, sameHolder } from '../identity.ts';
import type { EidLink } from '../link-repository.ts';
import type { EidReading } from '../transaction-repository.ts';

export type RecoveryAccount =
  | { kind: 'linked'; account: Account; link: EidLink }
  | { kind: 'new_card'; account: Account }
  | { kind: 'blocked'; accountId: string }
  | { kind: 'unknown' }
  | { kind: 'mismatch'; accountId: string | undefined };

export async function recoveryAccount(
  app: AppContext,
  reading: EidReading,
  identifier: string | undefined,
): Promise<RecoveryAccount> {
  const eid = app.eid;
  const restrictedId = reading.personalData.restrictedId?.id;
  if (!eid || !restrictedId) return { kind: 'unknown' };
  const link = await eid.links.byRestrictedId(restrictedId);
  if (link?.blockedAt) return { kind: 'blocked', accountId: link.accountId };
  if (link) {
    const account = await app.accounts.byId(link.accountId);
    return account?.state === 'active'
      ? { kind: 'linked', account, link }
      : { kind: 'mismatch', accountId: link.accountId };
  }
  if (identifier === undefined || identifier === '') return { kind: 'unknown' };
  const account = await app.accounts.byLogin(identifier);
  if (!account || account.state !== 'active') return { kind: 'mismatch', accountId: undefined };
  const holder = sameHolder(await app.attributes.forAccount(account.id), identityFromCard(reading));
  return holder ? { kind: 'new_card', account } : { kind: 'mismatch', accountId: account.id };
}
