import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { AppError } from '../../platform/http/errors.ts';
import { readForm } from '../../platform/http/forms.ts';
import { pageContext, safeReturnTo, sendPage } from '../../web/page.ts';
import { consentPage, missingScopes } from '../consent/page.ts';
import { grantConsent } from '../consent/grant.ts';
import { finishOidcLogin, startSession } from './complete-login.ts';
import { methodChoicePage, passwordPage, type LoginContext } from './page.ts';

type Interaction = Awaited<ReturnType<AppContext['provider']['interactionDetails']>>;

// Reasons our SSO session alone answers; anything else (prompt=login, max_age) asks again.
const answeredBySso = new Set(['no_session', 'sso_session_mismatch']);

/**
 * The login flow, stand-alone (/login) and inside an OIDC interaction
 * (/interaction/<uid>): method choice, method page, then consent.
 */
export function loginRoutes(app: AppContext) {
  return async function routes(fastify: FastifyInstance): Promise<void> {
    async function interaction(request: FastifyRequest<{ Params: { uid: string } }>, reply: FastifyReply): Promise<Interaction> {
      try {
        const details = await app.provider.interactionDetails(request.raw, reply.raw);
        if (details.uid !== request.params.uid) throw new AppError('interaction_expired');
        return details;
      } catch {
        throw new AppError('interaction_expired');
      }
    }
    const interactionContext = async (details: Interaction): Promise<LoginContext> => {
      const service = await app.services.byId(String(details.params.client_id));
      return { base: `/interaction/${details.uid}`, serviceName: service?.displayName ?? String(details.params.client_id), returnTo: `/interaction/${details.uid}` };
    };
    const standaloneContext = (returnTo: string | undefined): LoginContext => ({ base: '/login', returnTo });
    const queryReturn = (request: FastifyRequest) => safeReturnTo((request.query as Record<string, string | undefined>).return);

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
      const result = await app.methods.password.authenticate(form, { ip: request.ip });
      if (!result.ok) {
        const p = pageContext(app, request, reply);
        return sendPage(reply, p, p.t('login.title'), passwordPage(p, standaloneContext(returnTo), { values: result.values, errors: result.errors }), 400);
      }
      await startSession(app, request, reply, result.accountId, result.level, result.amr);
      return reply.redirect(returnTo ?? '/account', 303);
    });

    // Inside an OIDC interaction.
    fastify.get<{ Params: { uid: string } }>('/interaction/:uid', async (request, reply) => {
      const details = await interaction(request, reply);
      const p = pageContext(app, request, reply);
      if (details.prompt.name === 'login') {
        if (request.sso && details.prompt.reasons.every((r) => answeredBySso.has(r))) {
          return reply.redirect(await finishOidcLogin(app, request, reply, request.sso), 303);
        }
        return sendPage(reply, p, p.t('login.title'), methodChoicePage(p, await interactionContext(details), app.methods.all));
      }
      if (details.prompt.name === 'consent') {
        const accountId = details.session?.accountId;
        if (!accountId || request.sso?.accountId !== accountId) throw new AppError('interaction_expired');
        const service = await app.services.byId(String(details.params.client_id));
        const account = await app.accounts.byId(accountId);
        if (!account) throw new AppError('interaction_expired');
        const body = consentPage(p, {
          uid: details.uid,
          serviceName: service?.displayName ?? String(details.params.client_id),
          operator: service?.operator ?? undefined,
          scopes: String(details.params.scope ?? 'openid').split(' '),
          account,
          attributes: await app.attributes.forAccount(accountId),
        });
        return sendPage(reply, p, p.t('consent.title'), body);
      }
      throw new AppError('interaction_expired');
    });

    fastify.get<{ Params: { uid: string } }>('/interaction/:uid/password', async (request, reply) => {
      const details = await interaction(request, reply);
      if (details.prompt.name !== 'login') return reply.redirect(`/interaction/${details.uid}`, 303);
      const p = pageContext(app, request, reply);
      return sendPage(reply, p, p.t('login.title'), passwordPage(p, await interactionContext(details)));
    });

    fastify.post<{ Params: { uid: string } }>('/interaction/:uid/password', async (request, reply) => {
      const form = readForm(request.body);
      app.csrf.verify(request, form._csrf);
      const details = await interaction(request, reply);
      if (details.prompt.name !== 'login') throw new AppError('interaction_expired');
      const result = await app.methods.password.authenticate(form, { ip: request.ip });
      if (!result.ok) {
        const p = pageContext(app, request, reply);
        return sendPage(reply, p, p.t('login.title'), passwordPage(p, await interactionContext(details), { values: result.values, errors: result.errors }), 400);
      }
      const session = await startSession(app, request, reply, result.accountId, result.level, result.amr);
      return reply.redirect(await finishOidcLogin(app, request, reply, session), 303);
    });

    fastify.post<{ Params: { uid: string } }>('/interaction/:uid/consent', async (request, reply) => {
      const form = readForm(request.body);
      app.csrf.verify(request, form._csrf);
      const details = await interaction(request, reply);
      const accountId = details.session?.accountId;
      if (details.prompt.name !== 'consent' || !accountId || request.sso?.accountId !== accountId) throw new AppError('interaction_expired');
      const grantId = await grantConsent(app, details, accountId, missingScopes(details));
      const target = await app.provider.interactionResult(request.raw, reply.raw, { consent: { grantId } }, { mergeWithLastSubmission: true });
      return reply.redirect(target, 303);
    });

    fastify.post<{ Params: { uid: string } }>('/interaction/:uid/abort', async (request, reply) => {
      const form = readForm(request.body);
      app.csrf.verify(request, form._csrf);
      await interaction(request, reply);
      const target = await app.provider.interactionResult(
        request.raw,
        reply.raw,
        { error: 'access_denied', error_description: 'The citizen cancelled the login or declined the release of data.' },
        { mergeWithLastSubmission: false },
      );
      return reply.redirect(target, 303);
    });
  };
}
