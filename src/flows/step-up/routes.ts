import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import type { AuthenticationMethod } from '../../methods/method.ts';
import type { PageContext } from '../../web/layout.ts';
import { pageContext, sendPage } from '../../web/page.ts';
import { usableFactors } from '../../login/factors.ts';
import { choicePage, type FactorChoice } from './page.ts';
import type { LoginPageScope } from '../../login/page-scope.ts';

/** One entry of the choice: the method's page under the scope, with its own label or its title. */
async function choiceOf(
  app: AppContext,
  m: AuthenticationMethod,
  o: { base: string; accountId: string; p: PageContext },
): Promise<FactorChoice> {
  const label = m.stepUpLabel ? await m.stepUpLabel(app, o.accountId, o.p) : o.p.t(m.title);
  return { href: `${o.base}/${m.id}`, label };
}

/**
 * The step-up pages of one scope (a service's login, or "Mein Konto"): the
 * choice of second factor and the way on after recovery codes were shown;
 * then every registered method's own step-up pages (methods/<id>/step-up-routes.ts).
 */
export function stepUpRoutes(app: AppContext, scope: LoginPageScope) {
  return async function routes(fastify: FastifyInstance): Promise<void> {
    const at = (path: string) => `${scope.prefix}${path}`;

    fastify.get<{ Params: { uid?: string } }>(at('/second-factor'), async (request, reply) => {
      const state = await scope.load(request, reply);
      const { accountId } = state.session;
      const usable = await usableFactors(app, accountId, state.required);
      const p = pageContext(app, request, reply);
      const o = { base: state.base, accountId, p };
      const factors = usable.flatMap((kind) => app.methods.byKind(kind) ?? []);
      // Backups (recovery codes) are offered after the factor they stand in for is.
      const backups = app.methods.list.filter(
        (m) =>
          m.factor === 'backup' && m.standsInFor !== undefined && (usable as readonly string[]).includes(m.standsInFor),
      );
      const entries = await Promise.all([...factors, ...backups].map((m) => choiceOf(app, m, o)));
      return sendPage(reply, p, p.t('stepUp.title'), choicePage(p, { state, entries }));
    });

    // After the codes were shown: on to where the citizen was going.
    fastify.get<{ Params: { uid?: string } }>(at('/continue'), async (request, reply) => {
      const state = await scope.load(request, reply);
      return state.done(state.session);
    });

    for (const method of app.methods.list) {
      if (method.stepUpRoutes) await fastify.register(method.stepUpRoutes(app, scope));
    }
  };
}
