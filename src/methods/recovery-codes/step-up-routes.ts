import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import { recoveryCodePage } from '../../flows/step-up/page.ts';
import { raiseSession } from '../../flows/step-up/raise.ts';
import type { LoginPageScope } from '../../login/page-scope.ts';
import { readForm } from '../../platform/http/forms.ts';
import { pageContext, sendPage } from '../../web/page.ts';
import { throttledCode } from '../code-throttle.ts';

/** A recovery code instead of the app, in one scope (a service's login, or "Mein Konto"). */
export function recoveryStepUpRoutes(app: AppContext, scope: LoginPageScope) {
  const recovery = app.methods.recovery;

  return async function routes(fastify: FastifyInstance): Promise<void> {
    const at = (path: string) => `${scope.prefix}${path}`;

    fastify.get<{ Params: { uid?: string } }>(at('/recovery'), async (request, reply) => {
      const state = await scope.load(request, reply);
      const p = pageContext(app, request, reply);
      return sendPage(reply, p, p.t('stepUp.title'), recoveryCodePage(p, { state }));
    });

    fastify.post<{ Params: { uid?: string } }>(at('/recovery'), async (request, reply) => {
      const form = readForm(request.body);
      const state = await scope.load(request, reply);
      const { session } = state;
      const level = await throttledCode(app, session.accountId, () =>
        app.db.transaction(async (tx) => {
          const used = await recovery.use(tx, session.accountId, form.recovery_code ?? '');
          if (used !== undefined) await app.audit.account(tx, session.accountId, 'means.recovery_code_used');
          return used;
        }),
      );
      if (level === undefined) {
        const p = pageContext(app, request, reply);
        const body = recoveryCodePage(p, { state, errors: [{ field: 'recovery_code', message: 'recovery.invalid' }] });
        return sendPage(reply, p, p.t('stepUp.title'), body, 400);
      }
      // A recovery code is a one-time password standing in for the app (RFC 8176 `otp`).
      return state.done(await raiseSession(app, request, reply, session, recovery.amr, level));
    });
  };
}
