/**
 * Exports `recoveryEidScope(app)` (the card reading for a recovery,
 * `/recover/eid`, TR-03160-1) and `nextRecoveryStep`: what the citizen sees
 * once it is known whose account the card may recover.
 *
 * The reading asks for hoch: the recovered session is at the card's level,
 * and new means are enrolled in it at once (`mayAddMeans`). Nothing is
 * taken from the transaction here; the final form takes it, once.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { eidLevel } from '../../methods/eid/service.ts';
import type { EidTransaction } from '../../methods/eid/transaction-repository.ts';
import { pageContext, sendPage } from '../../web/page.ts';
import { blockedCardPage } from '../../methods/eid/login/card-pages.ts';
import { loginRequest } from '../../methods/eid/login/scopes.ts';
import { failedPage } from '../../methods/eid/reading/page.ts';
import type { EidScope, EidState } from '../../methods/eid/reading/scope.ts';
import { recoveryAccount, type RecoveryAccount } from '../../methods/eid/recovery/account.ts';
import { identifyPage, mismatchPage, newPasswordPage, type BoundForm } from '../../methods/eid/recovery/page.ts';

export const recoveryBase = '/recover';

/**
 * Steps per address and hour (a reading, a name, a form): each is a try at someone's account (design notes §6, step 4).
 */
export async function limitRecovery(app: AppContext, request: FastifyRequest): Promise<void> {
  await app.rateLimiter.hit(`recover:eid:ip:${request.ip}`, 20, 3600);
}

/** The page for an account found (or not) by the card: the new password, the question for the account, or a refusal. */
export async function nextRecoveryStep(
  app: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  bound: BoundForm,
  found: RecoveryAccount,
  identifier?: string,
): Promise<FastifyReply> {
  const p = pageContext(app, request, reply);
  const title = p.t('recoverEid.title');
  switch (found.kind) {
    case 'linked':
      return sendPage(reply, p, title, newPasswordPage(p, { ...bound, username: found.account.username }));
    case 'new_card':
      return sendPage(reply, p, title, newPasswordPage(p, { ...bound, username: found.account.username, identifier }));
    case 'unknown':
      return sendPage(reply, p, p.t('recoverEid.noLink.title'), identifyPage(p, bound));
    case 'blocked':
      await app.audit.record(app.db, {
        actor: 'anonymous',
        action: 'recovery.eid',
        subject: `account:${found.accountId}`,
        outcome: 'failure',
        details: { reason: 'card_blocked' },
      });
      return sendPage(
        reply,
        p,
        p.t('eid.blockedCard.title'),
        blockedCardPage(p, recoveryState(app, request, reply)),
        403,
      );
    case 'mismatch':
      if (found.accountId)
        await app.audit.record(app.db, {
          actor: 'anonymous',
          action: 'recovery.eid',
          subject: `account:${found.accountId}`,
          outcome: 'failure',
          details: { reason: 'holder_mismatch' },
        });
      return sendPage(reply, p, title, mismatchPage(p), 400);
  }
}

function recoveryState(app: AppContext, request: FastifyRequest, reply: FastifyReply): EidState {
  const state: EidState = {
    base: recoveryBase,
    purpose: 'recover',
    title: 'recoverEid.title',
    // The login set (loginOperations): the RestrictedID finds the link, names and birth date check a new card.
    request: loginRequest(4, undefined),
    back: { href: '/forgot-password', label: 'eid.handover.back' },
    finish: (transaction) => afterReading(app, request, reply, state, transaction),
  };
  return state;
}

async function afterReading(
  app: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  state: EidState,
  transaction: EidTransaction,
): Promise<FastifyReply> {
  const reading = transaction.reading;
  if (!reading) return reply.redirect(`${state.base}/eid`, 303);
  await limitRecovery(app, request);
  const p = pageContext(app, request, reply);
  // Recovery gives the account back at the highest level: a lower Smart-eID does not do it.
  if (eidLevel(reading) !== 4)
    return sendPage(reply, p, p.t('eid.failed.title'), failedPage(p, state, 'eid.lowLevel'), 400);
  if (!reading.personalData.restrictedId)
    return sendPage(reply, p, p.t('eid.failed.title'), failedPage(p, state, 'eid.error.technical'), 400);
  const ref = (request.params as { ref?: string }).ref ?? '';
  return nextRecoveryStep(app, request, reply, { transaction, ref }, await recoveryAccount(app, reading, undefined));
}

export function recoveryEidScope(app: AppContext): EidScope {
  return {
    prefix: recoveryBase,
    load: async (request, reply) => recoveryState(app, request, reply),
  };
}
