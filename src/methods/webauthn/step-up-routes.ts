import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext } from '../../context.ts';
import { perReauthentication } from '../password/throttle.ts';
import { webauthnForm } from './page.ts';
import { readForm } from '../../platform/http/forms.ts';
import { parseCeremonyResponse } from './ceremony.ts';
import type { FieldError } from '../../web/components.ts';
import { html } from '../../web/html.ts';
import { pageContext, sendPage } from '../../web/page.ts';
import { usableFactors } from '../../login/factors.ts';
import { otherFactorsLink, stepUpHead } from '../../flows/step-up/page.ts';
import { raiseSession } from '../../flows/step-up/raise.ts';
import type { LoginPageRequest } from '../../login/front-door.ts';
import type { LoginPageScope, LoginPageState } from '../../login/page-scope.ts';

/** Step-up with a security key or passkey, in one scope (a service's login, or "Mein Konto"). */
export function webauthnStepUpRoutes(app: AppContext, scope: LoginPageScope) {
  const webauthn = app.methods.webauthn;

  async function page(
    request: LoginPageRequest,
    reply: FastifyReply,
    state: LoginPageState,
    errors: FieldError[] = [],
  ) {
    const p = pageContext(app, request, reply);
    const others = (await usableFactors(app, state.session.accountId, state.required)).length > 1;
    const body = html`${stepUpHead(p, state)}
${webauthnForm(p, { mode: 'authenticate', action: `${state.base}/webauthn`, optionsUrl: `${state.base}/webauthn/options`, label: 'webauthn.use', errors })}
${otherFactorsLink(p, state, others)}
${state.cancel(p)}`;
    return sendPage(reply, p, p.t('stepUp.title'), body, errors.length > 0 ? 400 : 200);
  }

  return async function routes(fastify: FastifyInstance): Promise<void> {
    const at = (path: string) => `${scope.prefix}${path}`;

    fastify.get<{ Params: { uid?: string } }>(at('/webauthn'), async (request, reply) =>
      page(request, reply, await scope.load(request, reply)),
    );

    fastify.post<{ Params: { uid?: string } }>(at('/webauthn/options'), async (request, reply) => {
      const { session } = await scope.load(request, reply);
      return reply
        .header('cache-control', 'no-store')
        .send(await webauthn.authenticationOptions(app.db, session.id, session.accountId));
    });

    fastify.post<{ Params: { uid?: string } }>(at('/webauthn'), async (request, reply) => {
      const form = readForm(request.body);
      const state = await scope.load(request, reply);
      const { session } = state;
      const key = `webauthn:account:${session.accountId}`;
      await app.loginThrottle.attempt([{ key, policy: perReauthentication }]);
      const response = parseCeremonyResponse<AuthenticationResponseJSON>(form.response);
      const level =
        response === undefined
          ? undefined
          : await app.db.transaction((tx) => webauthn.authenticate(tx, session.id, session.accountId, response));
      if (level === undefined) return page(request, reply, state, [{ field: 'response', message: 'webauthn.invalid' }]);
      await app.loginThrottle.succeeded([key]);
      return state.done(await raiseSession(app, request, reply, session, webauthn.amr, level));
    });
  };
}
