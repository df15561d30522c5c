/**
 * Exports `decideReading(app, db, accountId, restrictedId, card, purpose)`:
 * what a card read on "Mein Konto" may do to the account logged in
 * (docs/eid-design-notes.md §6 Link, New card, Refresh).
 *
 * - A card linked to another account is refused: a card belongs to one
 *   account (the RestrictedID is unique per sector).
 * - A blocked card of this account stays blocked.
 * - A card of this account: its data may be taken over (refresh).
 * - A new card whose names and date of birth equal the account's data
 *   verified at hoch is the same holder (TR-03160-1 re-verification): on
 *   "link" it is linked at once, on "refresh" its data are compared.
 * - Any other new card is compared first. Where the account has level-4
 *   data already (another card, a clerk), only a card with the same given
 *   names and date of birth may replace them (a new family name after a
 *   marriage), and the citizen confirms that expressly; this happens only
 *   here, inside an authenticated session, never during a login. A card
 *   of another person is refused.
 * - "Refresh" with a card that is neither linked nor of the same holder
 *   is refused: linking is the other button.
 */
import type { AppContext } from '../../../context.ts';
import { attributeRepository } from '../../../identity/attribute-repository.ts';
import { sameGivenNamesAndBirth, sameHolder, type CardIdentity } from '../identity.ts';
import type { EidLink } from '../link-repository.ts';
import type { Queryable } from '../../../platform/db/database.ts';
import { AppError } from '../../../platform/http/errors.ts';

export type AccountPurpose = 'link' | 'refresh';

export type EidAccountDecision =
  | { kind: 'refused' }
  | { kind: 'blocked' }
  | { kind: 'not_linked' }
  | { kind: 'other_holder' }
  | { kind: 'add' }
  | { kind: 'compare'; link: EidLink | undefined; explicit: boolean };

export async function decideReading(
  app: AppContext,
  db: Queryable,
  accountId: string,
  restrictedId: string,
  card: CardIdentity,
  purpose: AccountPurpose,
): Promise<EidAccountDecision> {
  const eid = app.eid;
  if (!eid) throw new AppError('not_found');
  const link = await eid.links.byRestrictedId(restrictedId, db);
  if (link && link.accountId !== accountId) return { kind: 'refused' };
  if (link?.blockedAt) return { kind: 'blocked' };
  if (link) return { kind: 'compare', link, explicit: false };
  const stored = await attributeRepository(db).forAccount(accountId);
  if (sameHolder(stored, card))
    return purpose === 'link' ? { kind: 'add' } : { kind: 'compare', link: undefined, explicit: false };
  if (purpose === 'refresh') return { kind: 'not_linked' };
  const verifiedAtHoch = [...stored.values()].some((a) => a.trustLevel >= 4);
  // Data verified at hoch (a card, a clerk) are never replaced by another person's card: a new name
  // (marriage) is accepted with express confirmation, different given names or birth date are not.
  if (verifiedAtHoch && !sameGivenNamesAndBirth(stored, card)) return { kind: 'other_holder' };
  return { kind: 'compare', link: undefined, explicit: verifiedAtHoch };
}
