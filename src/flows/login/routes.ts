import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { AppError } from '../../platform/http/errors.ts';
import { readForm, readQuery } from '../../platform/http/forms.ts';
import { pageContext, safeReturnTo, sendPage } from '../../web/page.ts';
import { showConsent } from '../consent/routes.ts';
import { guestOfferedOidc } from '../guest/offer.ts';
import { loadInteraction, type Interaction } from './interaction.ts';
import { continueInteraction } from '../step-up/continue.ts';
import { secondFactorConfirmed } from '../step-up/factors.ts';
import { startSession } from './complete-login.ts';
import { loginAttempt } from '../../methods/password/device-cookie.ts';
import { methodChoicePage, passwordPage, type LoginContext } from './page.ts';

// Reasons our SSO session alone answers; anything else (prompt=login, max_age) asks again.
const answeredBySso = new Set(['no_session', 'sso_session_mismatch', 'acr_too_low']);

/**
 * The login flow, stand-alone (/login) and inside an OIDC interaction
 * (/interaction/<uid>): method choice, method page, then consent.
 */
export function loginRoutes(app: AppContext) {
  return async function routes(fastify: FastifyInstance): Promise<void> {
    const interactionContext = async (details: Interaction, loggedIn: boolean): Promise<LoginContext> => {
      const service = await app.services.byId(String(details.params.client_id));
      const guestHref = guestOfferedOidc(app, service, loggedIn) ? `/interaction/${details.uid}/guest/eid` : undefined;
      return { base: `/interaction/${details.uid}`, cancellable: true, serviceName: service?.displayName ?? String(details.params.client_id), returnTo: `/interaction/${details.uid}`, guestHref };
    };
    const standaloneContext = (returnTo: string | undefined): LoginContext => ({ base: '/login', returnTo });
    const queryReturn = (request: FastifyRequest) => safeReturnTo(readQuery(request.query).return);

    // Stand-alone login (Mein Konto).
    fastify.get('/login', async (request, reply) => {
      if (request.sso) return reply.redirect('/account', 303);
      const p = pageContext(app, request, reply);
      return sendPage(reply, p, p.t('login.title'), methodChoicePage(p, standaloneContext(queryReturn(request)), app.methods.all));
    });

    fastify.get('/login/password', async (request, reply) => {
      const p = pageContext(app, request, reply);
      return sendPage(reply, p, p.t('login.title'), passwordPage(p, standaloneContext(queryReturn(request))));
    });

    fastify.post('/login/password', async (request, reply) => {
      const form = readForm(request.body);
      app.csrf.verify(request, form._csrf);
      const returnTo = safeReturnTo(form.return);
      const result = await app.methods.password.authenticate(form, loginAttempt(request, reply, app.cookies, app.config.production));
      if (!result.ok) {
        const p = pageContext(app, request, reply);
        return sendPage(reply, p, p.t('login.title'), passwordPage(p, standaloneContext(returnTo), { values: result.values, errors: result.errors }), 400);
      }
      const session = await startSession(app, request, reply, result.accountId, result.level, result.amr);
      // A service's login (the registration's way back) asks for what it needs itself (step-up/continue.ts).
      if (returnTo && !returnTo.startsWith('/account')) return reply.redirect(returnTo, 303);
      // "Mein Konto" of an account with a second factor: asked for at once (issue 13, point 2), then on to where the citizen was going.
      if (!(await secondFactorConfirmed(app, session))) return reply.redirect(`/account/confirm?return=${encodeURIComponent(returnTo ?? '/account')}`, 303);
      return reply.redirect(returnTo ?? '/account', 303);
    });

    // Inside an OIDC interaction.
    fastify.get<{ Params: { uid: string } }>('/interaction/:uid', async (request, reply) => {
      const details = await loadInteraction(app, request, reply);
      const p = pageContext(app, request, reply);
      if (details.prompt.name === 'login') {
        if (request.sso && details.prompt.reasons.every((r) => answeredBySso.has(r))) return continueInteraction(app, request, reply, details, request.sso);
        return sendPage(reply, p, p.t('login.title'), methodChoicePage(p, await interactionContext(details, request.sso !== undefined), app.methods.all));
      }
      if (details.prompt.name === 'consent') return showConsent(app, request, reply, details);
      throw new AppError('interaction_expired');
    });

    fastify.get<{ Params: { uid: string } }>('/interaction/:uid/password', async (request, reply) => {
      const details = await loadInteraction(app, request, reply);
      if (details.prompt.name !== 'login') return reply.redirect(`/interaction/${details.uid}`, 303);
      const p = pageContext(app, request, reply);
      return sendPage(reply, p, p.t('login.title'), passwordPage(p, await interactionContext(details, request.sso !== undefined)));
    });

    fastify.post<{ Params: { uid: string } }>('/interaction/:uid/password', async (request, reply) => {
      const form = readForm(request.body);
      app.csrf.verify(request, form._csrf);
      const details = await loadInteraction(app, request, reply);
      if (details.prompt.name !== 'login') throw new AppError('interaction_expired');
      const result = await app.methods.password.authenticate(form, loginAttempt(request, reply, app.cookies, app.config.production));
      if (!result.ok) {
        const p = pageContext(app, request, reply);
        return sendPage(reply, p, p.t('login.title'), passwordPage(p, await interactionContext(details, request.sso !== undefined), { values: result.values, errors: result.errors }), 400);
      }
      const session = await startSession(app, request, reply, result.accountId, result.level, result.amr);
      return continueInteraction(app, request, reply, details, session);
    });
  };
}
