/**
 * Taking a card reading over on "Mein Konto" (routes.ts): storing its data
 * and linking the card in one transaction with the reading's single use, or
 * refusing it with the page that says why.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../../context.ts';
import { identityFromCard } from '../identity.ts';
import { eidAmr, eidLevel } from '../service.ts';
import type { EidReading, EidTransaction } from '../transaction-repository.ts';
import { requiredSession } from '../../../platform/http/route-options.ts';
import type { MessageId } from '../../../text/index.ts';
import { pageContext, sendPage } from '../../../web/page.ts';
import { bindingProblemPage } from '../reading/binding.ts';
import { startSession } from '../../../flows/login/complete-login.ts';
import { notifyChange } from '../../../flows/settings/notify.ts';
import { donePage, refusalPage } from './compare-page.ts';
import { decideReading, type AccountPurpose, type EidAccountDecision } from './decide.ts';
import { accountBases, eidService, sendTitled } from './common.ts';
import { waitingLogin } from '../../../login/waiting-login.ts';

/** The decisions that store nothing. */
export type Refusal = Exclude<EidAccountDecision, { kind: 'add' | 'compare' }>;

/** What each refusal shows, and with which status. */
const refusalPages: Record<Refusal['kind'], { title: MessageId; text: MessageId; status: number }> = {
  refused: { title: 'eidAccount.refused.title', text: 'eidAccount.refused.text', status: 409 },
  blocked: { title: 'eid.blockedCard.title', text: 'eid.blockedCard.text', status: 403 },
  other_holder: { title: 'eidAccount.otherHolder.title', text: 'eidAccount.otherHolder.text', status: 409 },
  not_linked: { title: 'eidAccount.notLinked.title', text: 'eidAccount.notLinked.text', status: 409 },
};

/** Another account's card became linked while this one was being stored. */
class CardTaken extends Error {}

/** The decisions that store nothing; the reading is spent and a refusal is audited. */
export async function refuseReading(
  app: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  decision: Refusal,
  transaction: EidTransaction,
  purpose: AccountPurpose,
): Promise<FastifyReply> {
  const eid = eidService(app);
  const accountId = requiredSession(request).accountId;
  await app.db.transaction(async (tx) => {
    await eid.transactions.use(transaction.id, tx);
    if (decision.kind === 'refused' || decision.kind === 'other_holder') {
      const reason = decision.kind === 'refused' ? 'linked_elsewhere' : 'other_holder';
      await app.audit.accountFailure(tx, accountId, 'eid.link_refused', { purpose, reason });
    }
  });
  const page = refusalPages[decision.kind];
  return sendTitled(app, request, reply, page.title, (p) => refusalPage(p, page.title, page.text), page.status);
}

/**
 * Stores the card's data at level 4 and links the card if it is new, in
 * one transaction with the reading's single use. Undefined when the
 * reading was used or expired meanwhile.
 */
export async function storeReading(
  app: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  transaction: EidTransaction,
  purpose: AccountPurpose,
): Promise<FastifyReply> {
  const eid = eidService(app);
  const accountId = requiredSession(request).accountId;
  let outcome: { reading: EidReading; message: MessageId } | Refusal | undefined;
  try {
    outcome = await app.db.transaction(async (tx) => {
      const reading = await eid.transactions.use(transaction.id, tx);
      const restrictedId = reading?.personalData.restrictedId?.id;
      if (!reading || !restrictedId || eidLevel(reading) !== 4) return undefined;
      const card = identityFromCard(reading);
      // Decided again inside the transaction: the page may be minutes old.
      const decision = await decideReading(app, tx, accountId, restrictedId, card, purpose);
      if (decision.kind !== 'add' && decision.kind !== 'compare') return decision;
      const link = decision.kind === 'compare' ? decision.link : undefined;
      const earlierCards = (await eid.links.forAccount(accountId, tx)).length;
      await app.repos(tx).attributes.setVerified(accountId, card.values, {
        source: 'eid',
        level: 4,
        at: app.clock.now(),
        evidence: card.evidence,
      });
      if (link) await eid.links.touch(link.id, tx);
      else if (
        !(await eid.links.link(
          accountId,
          {
            restrictedId,
            documentType: reading.personalData.documentType ?? 'ID',
            eidType: reading.eidType ?? 'CardCertified',
          },
          tx,
        ))
      )
        throw new CardTaken();
      const action =
        purpose === 'refresh' || link ? 'eid.refreshed' : earlierCards > 0 ? 'eid.card_added' : 'eid.linked';
      const details: Record<string, string | boolean> = {
        document: card.document,
        eid_type: reading.eidType ?? 'CardCertified',
      };
      if (action === 'eid.card_added') details.data_changed = decision.kind === 'compare' && decision.explicit;
      if (action === 'eid.refreshed') details.new_card = !link;
      await app.audit.account(tx, accountId, action, details);
      // A new card is a new means: the owner hears of it (issue 13, point 2c).
      if (action !== 'eid.refreshed') await notifyChange(app, tx, accountId, 'meansAdded', 'eid');
      const message: MessageId =
        action === 'eid.refreshed'
          ? 'eidAccount.refreshed'
          : action === 'eid.card_added'
            ? 'eidAccount.cardAdded'
            : 'eidAccount.linked';
      return { reading, message };
    });
  } catch (error) {
    if (!(error instanceof CardTaken)) throw error;
    outcome = { kind: 'refused' };
  }
  if (!outcome) {
    const p = pageContext(app, request, reply);
    const page = bindingProblemPage(p, 'expired', `${accountBases[purpose]}/eid`);
    return sendPage(reply, p, page.title, page.body, 400);
  }
  if ('kind' in outcome) return refuseReading(app, request, reply, outcome, transaction, purpose);
  await startSession(app, request, reply, accountId, 4, eidAmr(outcome.reading.eidType), 'eid');
  const { message } = outcome;
  const waiting = waitingLogin(app, request);
  return sendTitled(app, request, reply, 'eidAccount.doneTitle', (p) => donePage(p, message, waiting));
}
