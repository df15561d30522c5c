import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../../context.ts';
import { AppError } from '../../../platform/http/errors.ts';
import { mayAddMeans, secondFactors } from '../../second-factors.ts';
import { secondFactorConfirmed } from '../../../login/factors.ts';
import { confirmFirstPage, eidFirstPage } from './compare-page.ts';
import { eidService, sendTitled } from './common.ts';

/**
 * The check before every route of the eID account pages, the readings
 * included: a session at the account's maximum level (TR-03160-1).
 */
export function accountMaximumGuard(app: AppContext) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    const current = request.sso;
    if (!current) {
      if (request.method === 'GET') return reply.redirect('/login?return=/account', 303);
      throw new AppError('session_expired');
    }
    // With a live card the card is the account's strongest means (hoch): linking another card, blocking
    // one or changing data from a card needs a login with a linked card, or a phished password (even with
    // a second factor) could block the real card and link the attacker's (TR-03160-1: changes at the
    // account's maximum level).
    const cards = await eidService(app).links.forAccount(current.accountId);
    if (cards.some((card) => !card.blockedAt)) {
      if (current.method === 'eid' && current.meansLevel >= 4) return undefined;
      return sendTitled(app, request, reply, 'eidAccount.confirm.title', eidFirstPage, 403);
    }
    // The account's maximum, and never the password alone once a second factor exists (issue 13, point 2).
    if (
      mayAddMeans(current, await secondFactors(app.db, current.accountId, app.methods.kinds('second'))) &&
      (await secondFactorConfirmed(app, current))
    )
      return undefined;
    if (request.method === 'GET') return reply.redirect('/account/confirm', 303);
    return sendTitled(app, request, reply, 'eidAccount.confirm.title', confirmFirstPage, 403);
  };
}
