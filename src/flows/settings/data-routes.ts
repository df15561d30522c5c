import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import { deleteAccount } from '../../identity/delete-account.ts';
import { exportAccount } from '../../identity/export.ts';
import { cookieOptions } from '../../platform/http/cookies.ts';
import { checkFields } from '../../platform/http/forms.ts';
import { alert } from '../../web/components.ts';
import { html } from '../../web/html.ts';
import { pageContext, sendPage } from '../../web/page.ts';
import type { AccountView } from './account-view.ts';
import { needsSecondFactor } from './guard.ts';
import { confirmsIdentity, reauthError, reauthState } from './reauth.ts';

/** "Daten und Konto": everything stored about the citizen as a file, and deleting the account. */
export function dataRoutes(app: AppContext, view: AccountView) {
  return async function routes(fastify: FastifyInstance): Promise<void> {
    fastify.get('/account/export', needsSecondFactor, async (request, reply) => {
      const account = await view.current(request);
      if (!account) return reply.redirect('/login?return=/account', 303);
      const data = await exportAccount(app.db, account, app.clock.now());
      return reply
        .header('content-type', 'application/json; charset=utf-8')
        .header('content-disposition', 'attachment; filename="servicekonto-daten.json"')
        .header('cache-control', 'no-store')
        .send(JSON.stringify(data, null, 2));
    });

    fastify.post('/account/delete', needsSecondFactor, async (request, reply) => {
      const { form, accountId, session } = view.guarded(request);
      const reauth = await reauthState(app, session);
      const { values, errors } = checkFields(form, [
        { name: 'delete_password', max: 256, required: reauth.hasPassword },
      ]);
      if (errors.length > 0) return view.show(request, reply, 'data', { errors }, 400);
      if (!(await confirmsIdentity(app, session, values.delete_password))) {
        return view.show(request, reply, 'data', { errors: [reauthError(reauth, 'delete_password')] }, 400);
      }
      // The same path as a deletion after inactivity: the services hear of it (identity/delete-account.ts).
      await app.db.transaction((tx) => deleteAccount(app, tx, accountId, 'request'));
      reply.clearCookie(app.cookies.session, cookieOptions(app.config.production));
      request.sso = undefined;
      const p = pageContext(app, request, reply);
      return sendPage(
        reply,
        p,
        p.t('account.delete.doneTitle'),
        html`<h1 class="kern-heading-large">${p.t('account.delete.doneTitle')}</h1>${alert('success', p.t('account.delete.done'))}<p class="kern-body"><a class="kern-link" href="/">${p.t('error.toHome')}</a></p>`,
      );
    });
  };
}
