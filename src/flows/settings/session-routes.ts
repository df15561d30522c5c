import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import { AppError } from '../../platform/http/errors.ts';
import { endLoginsEverywhere } from '../../session/end-everywhere.ts';
import type { AccountView } from './account-view.ts';
import { needsSecondFactor } from './guard.ts';
import { sessionByHandle } from './session-list.ts';

/**
 * "Geräte und Anmeldungen" (issue 15, point 2): ending one other session, or
 * every other one. The other browser's cookie stops working at once: its
 * row is gone (OWASP Session Management, "the user should be able to end
 * other sessions"). This browser's own session is ended by the logout.
 */
export function sessionRoutes(app: AppContext, view: AccountView) {
  return async function routes(fastify: FastifyInstance): Promise<void> {
    fastify.post('/account/sessions/end', needsSecondFactor, async (request, reply) => {
      const { form, accountId, session } = view.guarded(request);
      const handle = (form.session ?? '').slice(0, 64);
      // Only a session of this account, and not this one: the handle comes from the form.
      const id = await sessionByHandle(app, accountId, handle);
      if (!id || id === session.id) throw new AppError('bad_request');
      await app.db.transaction(async (tx) => {
        await app.sessions.endOne(accountId, id, tx);
        await app.audit.account(tx, accountId, 'session.ended', { via: 'account' });
      });
      return view.done(request, reply, 'sessions', {
        kind: 'success',
        text: view.t(request)('accountArea.sessions.ended'),
      });
    });

    fastify.post('/account/sessions/end-others', needsSecondFactor, async (request, reply) => {
      const { accountId, session } = view.guarded(request);
      await app.db.transaction(async (tx) => {
        // As after a password change: the services hear of it by back-channel and lose their tokens, every other
        // browser is logged out, this one stays (session/end-everywhere.ts).
        await endLoginsEverywhere(app, tx, accountId, session.id);
        await app.audit.account(tx, accountId, 'sessions.ended_elsewhere');
      });
      return view.done(request, reply, 'sessions', {
        kind: 'success',
        text: view.t(request)('accountArea.sessions.endedOthers'),
      });
    });
  };
}
