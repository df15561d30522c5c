/**
 * Exports `recoverWithEid(app, o)`: design notes §6 Recovery by eID, step 2
 * and 4, in one database transaction, or none of it:
 *
 * 1. the reading is taken (`transactions.use`: once, and never after expiry);
 * 2. the new password; a new card is linked (audited `eid.card_added`);
 * 3. optionally every second factor is blocked (as lost-means does; the
 *    recovery codes go with the app);
 * 4. every session ends: back-channel logout notices are queued first, then
 *    the SSO sessions and every OIDC token and provider session go;
 * 5. the mails (to a confirmed address), and the audit entry `recovery.eid`
 *    without personal data.
 *
 * Answers undefined when the reading was used or expired meanwhile.
 */
import type { AppContext } from '../../../context.ts';
import type { Account } from '../../../identity/account-repository.ts';
import { documentKind } from '../identity.ts';
import type { EidReading } from '../transaction-repository.ts';
import { passwordStore } from '../../password/password-repository.ts';
import { blockMeansRows } from '../../means-repository.ts';
import { endLoginsEverywhere } from '../../../session/end-everywhere.ts';

export interface RecoverInput {
  account: Account;
  transactionId: string;
  passwordHash: string;
  /** Link the card read (a new card of the holder, checked by `sameHolder`). */
  linkCard: boolean;
  blockFactors: boolean;
}

export async function recoverWithEid(
  app: AppContext,
  o: RecoverInput,
): Promise<{ reading: EidReading; blocked: number } | undefined> {
  const eid = app.eid;
  if (!eid) return undefined;
  const { account } = o;
  const now = app.clock.now();
  const done = await app.db.transaction(async (tx) => {
    const reading = await eid.transactions.use(o.transactionId, tx);
    const restrictedId = reading?.personalData.restrictedId?.id;
    if (!reading || !restrictedId) return undefined;
    await passwordStore(tx).set(account.id, o.passwordHash);
    let linkedNewCard = false;
    if (o.linkCard) {
      linkedNewCard = await eid.links.link(
        account.id,
        {
          restrictedId,
          documentType: reading.personalData.documentType ?? 'ID',
          eidType: reading.eidType ?? 'CardCertified',
        },
        tx,
      );
      if (linkedNewCard)
        await app.audit.account(tx, account.id, 'eid.card_added', {
          via: 'recovery',
          document: documentKind(reading.personalData.documentType),
        });
    }
    const blockedKinds = o.blockFactors
      ? await blockMeansRows(tx, { accountId: account.id, kinds: app.methods.kinds('second', 'backup'), at: now })
      : [];
    // Backups (recovery codes) are blocked with what they stand in for; the mail counts the means.
    const secondKinds = app.methods.kinds('second');
    const blocked = blockedKinds.filter((kind) => secondKinds.includes(kind)).length;
    await endLoginsEverywhere(app, tx, account.id);
    // Only to a confirmed address: an unconfirmed one (an eID registration) may be someone else's typo.
    if (account.emailVerifiedAt) {
      await app.mailer.queue(tx, {
        to: account.email,
        lang: account.language,
        template: 'passwordChanged',
        params: { username: account.username },
      });
      if (blocked > 0)
        await app.mailer.queue(tx, {
          to: account.email,
          lang: account.language,
          template: 'meansBlocked',
          params: { username: account.username, count: blocked },
        });
    }
    await app.audit.account(tx, account.id, 'recovery.eid', {
      factors_blocked: blocked > 0,
      blocked_kinds: [...new Set(blockedKinds)].sort().join(' '),
      linked_new_card: linkedNewCard,
    });
    return { reading, blocked };
  });
  return done;
}
