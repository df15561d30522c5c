import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext } from '../../context.ts';
import { consentPage } from '../../flows/consent/page.ts';
import { recordConsent } from '../../flows/consent/grant.ts';
import { isAttributeName, type AttributeName } from '../../identity/attributes.ts';
import { readClaimsSource } from '../../oidc/claims-source-repository.ts';
import { AppError } from '../../platform/http/errors.ts';
import { pageContext, sendPage } from '../../web/page.ts';
import { identityAttributeOf } from './answer.ts';
import { loadPendingLogin, shownName, type SamlLoginRequest } from './context.ts';
import { continueSamlLogin } from './continue.ts';
import { requestedScopes, samlAnswerer } from './login-request.ts';
import type { PendingSamlLogin } from './pending-login-repository.ts';

/**
 * The SAML login's own pages (/saml/login/<uid>): consent with the
 * request's display name and language, and cancelling (AKDB
 * DisplayInformation, PROFILES.md §1). The method choice and the password
 * form are the shared login pages (flows/login/routes.ts, SAML front door).
 */
export function samlLoginRoutes(app: AppContext) {
  /** The request's language wins for this login's pages (AKDB `Lang`). */
  const page = (request: SamlLoginRequest, reply: FastifyReply, pending: PendingSamlLogin) => {
    if (pending.request.lang) request.lang = pending.request.lang;
    return pageContext(app, request, reply);
  };

  return async function routes(fastify: FastifyInstance): Promise<void> {
    fastify.get<{ Params: { uid?: string } }>('/saml/login/:uid/consent', async (request, reply) => {
      const { pending, service } = await loadPendingLogin(app, request);
      const session = request.sso;
      if (!session) return reply.redirect(`/saml/login/${pending.uid}`, 303);
      // The account and its identity data in one round trip (issue 16).
      const source = await readClaimsSource(app.db, session.accountId);
      if (!source) throw new AppError('interaction_expired');
      const { account, attributes } = source;
      const only = new Set(
        pending.request.requestedAttributes
          .flatMap((a) => identityAttributeOf(a.name) ?? [])
          .filter((n): n is AttributeName => isAttributeName(n)),
      );
      const p = page(request, reply, pending);
      const body = consentPage(p, {
        base: `/saml/login/${pending.uid}`,
        serviceName: shownName(pending, service),
        operator: service.operator ?? undefined,
        scopes: requestedScopes(pending),
        account,
        attributes,
        only,
      });
      return sendPage(reply, p, p.t('consent.title'), body);
    });

    fastify.post<{ Params: { uid?: string } }>('/saml/login/:uid/consent', async (request, reply) => {
      const { pending, service } = await loadPendingLogin(app, request);
      const session = request.sso;
      if (!session) throw new AppError('interaction_expired');
      const scopes = requestedScopes(pending);
      const context = pending.request.onlineServiceId
        ? { onlineServiceId: pending.request.onlineServiceId }
        : undefined;
      await recordConsent(app, session.accountId, service.id, scopes, context);
      return continueSamlLogin(app, request, reply, pending, service, session);
    });

    // Cancelling: back to the service with AuthnFailed, or to its BackURL (login-request.ts).
    fastify.post<{ Params: { uid?: string } }>('/saml/login/:uid/abort', async (request, reply) => {
      const { pending, service } = await loadPendingLogin(app, request);
      return samlAnswerer(app, request, reply, pending, service).refuse({ kind: 'cancel' });
    });
  };
}
