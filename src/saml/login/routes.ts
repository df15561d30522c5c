import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext } from '../../context.ts';
import { startSession } from '../../flows/login/complete-login.ts';
import { methodChoicePage, passwordPage, type LoginContext } from '../../flows/login/page.ts';
import { consentPage } from '../../flows/consent/page.ts';
import { guestOfferedSaml } from '../../flows/guest/offer.ts';
import { recordConsent } from '../../flows/consent/grant.ts';
import { isAttributeName, type AttributeName } from '../../identity/attributes.ts';
import { AppError } from '../../platform/http/errors.ts';
import { readForm } from '../../platform/http/forms.ts';
import { pageContext, sendPage } from '../../web/page.ts';
import { status } from '../constants.ts';
import { answerService, identityAttributeOf } from './answer.ts';
import { loadPendingLogin, shownName, type SamlLoginRequest } from './context.ts';
import { continueSamlLogin, requestedScopes, sessionAnswers } from './continue.ts';
import type { PendingSamlLogin } from './pending.ts';

/**
 * The citizen's side of a SAML login (/saml/login/<uid>): the method choice
 * and password pages and the consent page of the OIDC flow, with the
 * request's display name, language and cancel target (AKDB
 * DisplayInformation, PROFILES.md §1).
 */
export function samlLoginRoutes(app: AppContext) {
  const loginContext = (pending: PendingSamlLogin, name: string): LoginContext => ({ base: `/saml/login/${pending.uid}`, cancellable: true, serviceName: name, returnTo: `/saml/login/${pending.uid}` });
  /** AKDB AuthnMethods limit what is offered: `Benutzername` is our password login (and its second factors). */
  const offered = (pending: PendingSamlLogin) => app.methods.all.filter((m) => !pending.request.allowedMethods || pending.request.allowedMethods.includes(m.id));
  /** The request's language wins for this login's pages (AKDB `Lang`). */
  const page = (request: SamlLoginRequest, reply: FastifyReply, pending: PendingSamlLogin) => {
    if (pending.request.lang) request.lang = pending.request.lang;
    return pageContext(app, request, reply);
  };

  return async function routes(fastify: FastifyInstance): Promise<void> {
    fastify.get<{ Params: { uid?: string } }>('/saml/login/:uid', async (request, reply) => {
      const { pending, service } = await loadPendingLogin(app, request);
      const r = pending.request;
      if (sessionAnswers(r, request.sso)) return continueSamlLogin(app, request, reply, pending, service, request.sso);
      if (r.isPassive) return answerService(app, request, reply, pending, service, { ok: false, status: status.responder, subStatus: status.noPassive, message: 'login-needed' });
      const p = page(request, reply, pending);
      const guestHref = guestOfferedSaml(app, pending, service, request.sso !== undefined) ? `/saml/login/${pending.uid}/guest/eid` : undefined;
      return sendPage(reply, p, p.t('login.title'), methodChoicePage(p, { ...loginContext(pending, shownName(pending, service)), guestHref }, offered(pending)));
    });

    fastify.get<{ Params: { uid?: string } }>('/saml/login/:uid/password', async (request, reply) => {
      const { pending, service } = await loadPendingLogin(app, request);
      if (!offered(pending).some((m) => m.id === 'password')) throw new AppError('not_found');
      const p = page(request, reply, pending);
      return sendPage(reply, p, p.t('login.title'), passwordPage(p, loginContext(pending, shownName(pending, service))));
    });

    fastify.post<{ Params: { uid?: string } }>('/saml/login/:uid/password', async (request, reply) => {
      const form = readForm(request.body);
      app.csrf.verify(request, form._csrf);
      const { pending, service } = await loadPendingLogin(app, request);
      if (!offered(pending).some((m) => m.id === 'password')) throw new AppError('not_found');
      const result = await app.methods.password.authenticate(form, { ip: request.ip });
      if (!result.ok) {
        const p = page(request, reply, pending);
        return sendPage(reply, p, p.t('login.title'), passwordPage(p, loginContext(pending, shownName(pending, service)), { values: result.values, errors: result.errors }), 400);
      }
      const session = await startSession(app, request, reply, result.accountId, result.level, result.amr);
      return continueSamlLogin(app, request, reply, pending, service, session);
    });

    fastify.get<{ Params: { uid?: string } }>('/saml/login/:uid/consent', async (request, reply) => {
      const { pending, service } = await loadPendingLogin(app, request);
      const session = request.sso;
      if (!session) return reply.redirect(`/saml/login/${pending.uid}`, 303);
      const [account, attributes] = await Promise.all([app.accounts.byId(session.accountId), app.attributes.forAccount(session.accountId)]);
      if (!account) throw new AppError('interaction_expired');
      const only = new Set(pending.request.requestedAttributes.flatMap((a) => identityAttributeOf(a.name) ?? []).filter((n): n is AttributeName => isAttributeName(n)));
      const p = page(request, reply, pending);
      const body = consentPage(p, { base: `/saml/login/${pending.uid}`, serviceName: shownName(pending, service), operator: service.operator ?? undefined, scopes: requestedScopes(pending), account, attributes, only });
      return sendPage(reply, p, p.t('consent.title'), body);
    });

    fastify.post<{ Params: { uid?: string } }>('/saml/login/:uid/consent', async (request, reply) => {
      const form = readForm(request.body);
      app.csrf.verify(request, form._csrf);
      const { pending, service } = await loadPendingLogin(app, request);
      const session = request.sso;
      if (!session) throw new AppError('interaction_expired');
      const scopes = requestedScopes(pending);
      const context = pending.request.onlineServiceId ? { onlineServiceId: pending.request.onlineServiceId } : undefined;
      await recordConsent(app, session.accountId, service.id, scopes, context);
      return continueSamlLogin(app, request, reply, pending, service, session);
    });

    // Cancelling: back to the service with AuthnFailed, or to its BackURL when it gave one (AKDB DisplayInformation).
    fastify.post<{ Params: { uid?: string } }>('/saml/login/:uid/abort', async (request, reply) => {
      const form = readForm(request.body);
      app.csrf.verify(request, form._csrf);
      const { pending, service } = await loadPendingLogin(app, request);
      if (pending.request.backUrl) {
        await app.db.transaction((tx) => app.saml.pending.complete(tx, pending.uid));
        return reply.redirect(pending.request.backUrl, 303);
      }
      return answerService(app, request, reply, pending, service, { ok: false, status: status.responder, subStatus: status.authnFailed, message: 'cancelled' });
    });
  };
}
