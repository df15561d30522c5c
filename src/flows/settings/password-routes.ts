import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import { passwordProblem } from '../../methods/password/policy.ts';
import { checkFields } from '../../platform/http/forms.ts';
import { endLoginsEverywhere } from '../../session/end-everywhere.ts';
import type { AccountView } from './account-view.ts';
import { needsSecondFactor } from './guard.ts';
import { confirmsIdentity, hasPassword, reauthError } from './reauth.ts';

/**
 * "Anmeldung und Sicherheit": changing the password needs the current one; an account without one
 * (registered with the eID) sets its first password, confirmed by a fresh eID login instead (reauth.ts).
 */
export function passwordRoutes(app: AppContext, view: AccountView) {
  return async function routes(fastify: FastifyInstance): Promise<void> {
    fastify.post('/account/password', needsSecondFactor, async (request, reply) => {
      const { form, accountId, session } = view.guarded(request);
      const account = await view.current(request);
      const first = !(await hasPassword(app, accountId));
      const { values, errors } = checkFields(form, [
        { name: 'current_password', max: 256, required: !first },
        { name: 'new_password', max: 256 },
      ]);
      if (errors.length > 0 || !account) return view.show(request, reply, 'security', { errors }, 400);
      if (!(await confirmsIdentity(app, session, values.current_password))) {
        return view.show(
          request,
          reply,
          'security',
          { errors: [reauthError({ hasPassword: !first }, 'current_password')] },
          400,
        );
      }
      const problem = passwordProblem(values.new_password ?? '', { username: account.username, email: account.email });
      if (problem)
        return view.show(request, reply, 'security', { errors: [{ field: 'new_password', message: problem }] }, 400);
      const hash = await app.hasher.hash(values.new_password ?? '');
      await app.db.transaction(async (tx) => {
        await app.repos(tx).passwords.set(accountId, hash);
        // Other browsers' sessions and every service's tokens end; this browser stays (OWASP Session Management).
        await endLoginsEverywhere(app, tx, accountId, session.id);
        await app.mailer.queue(tx, {
          to: account.email,
          lang: account.language,
          template: 'passwordChanged',
          params: { username: account.username },
        });
        await app.audit.account(tx, accountId, first ? 'password.set' : 'password.changed');
      });
      const saved = !first
        ? 'account.password.saved'
        : account.emailVerifiedAt
          ? 'eidReauth.set.saved'
          : 'eidReauth.set.savedUnconfirmed';
      return view.done(request, reply, 'security', { kind: 'success', text: view.t(request)(saved) });
    });
  };
}
