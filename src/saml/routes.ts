import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import { cookieOptions } from '../platform/http/cookies.ts';
import { acceptAuthnRequest, type Accepted } from './authn-request/accept.ts';
import { decodeRedirectMessage, readRedirectQuery, type RedirectQuery } from './bindings/redirect.ts';
import { readPostMessage } from './post-page.ts';
import { verifyRedirectSignature } from './crypto/verify-query.ts';
import { answerService } from './login/answer.ts';
import { continueSamlLogin, sessionAnswers } from './login/continue.ts';
import { storedBeforePage } from './login/pending-login-repository.ts';
import { limitSamlRequests, rawQuery } from './inbound.ts';
import { SamlInputError } from '../platform/xml/errors.ts';
import { logRefusal, refuseMessage } from './refusal.ts';

/** RelayState is at most 80 bytes by saml-bindings §3.4.3; some service stacks send more, so we allow up to 512. */
const maxRelayState = 512;

/** Refusals of the XML, crypto and binding layers become the error page with their short code. */
function asRequestError(error: unknown): never {
  if (error instanceof SamlInputError) refuseMessage('request', `saml-request-${error.code.replaceAll('_', '-')}`);
  throw error;
}

/** SSO endpoint: HTTP-Redirect (GET) and HTTP-POST (issue: SAML, deliverable 3). */
export function samlSsoRoutes(app: AppContext) {
  /** A checked request becomes a pending login bound to this browser, or an immediate answer to the service. */
  async function start(request: FastifyRequest, reply: FastifyReply, accepted: Accepted): Promise<FastifyReply> {
    const { pending, browserToken } = app.saml.pending.prepare(
      accepted.request,
      request.cookies[app.cookies.saml],
      accepted.seen,
    );
    reply.setCookie(app.cookies.saml, browserToken, cookieOptions(app.config.production, 30 * 60));
    if (accepted.kind === 'refuse') {
      // Answered to the service with a SAML status, and logged like the refusals that get an error page.
      request.log.info(
        { saml: { refused: accepted.message, entityId: accepted.service.id, status: accepted.subStatus } },
        'SAML request answered with an error status',
      );
      return answerService(app, request, reply, pending, accepted.service, {
        ok: false,
        status: accepted.status,
        subStatus: accepted.subStatus,
        message: accepted.message,
      });
    }
    // A browser that brought its session cookie (HTTP-Redirect is a top-level GET) and whose session
    // answers the request continues here, as /saml/login/<uid> would: one round trip less per SSO.
    if (sessionAnswers(accepted.request, request.sso))
      return continueSamlLogin(app, request, reply, pending, accepted.service, request.sso);
    // A GET of our own page carries the session cookie even when the request came by a cross-site POST (SameSite=Lax).
    await storedBeforePage(pending);
    return reply.redirect(`/saml/login/${pending.uid}`, 303);
  }

  return async function routes(fastify: FastifyInstance): Promise<void> {
    fastify.addHook('onError', async (request, _reply, error) => logRefusal(request.log, error));
    fastify.get('/saml/sso', async (request, reply) => {
      await limitSamlRequests(app, request);
      let query: RedirectQuery;
      let xml: string;
      try {
        query = readRedirectQuery(rawQuery(request));
        if (query.kind !== 'SAMLRequest') refuseMessage('request', 'saml-request-missing');
        xml = decodeRedirectMessage(query.message);
      } catch (error) {
        return asRequestError(error);
      }
      const accepted = await acceptAuthnRequest(app, {
        xml,
        binding: 'redirect',
        querySigned: query.signature !== undefined,
        verifyQuerySignature: (certificates) => void verifyRedirectSignature(query, certificates),
        relayState: query.relayState,
      });
      return start(request, reply, accepted);
    });

    // The service's page posts here (SAML Bindings §3.5): no CSRF token of ours.
    fastify.post('/saml/sso', { config: { csrf: false } }, async (request, reply) => {
      await limitSamlRequests(app, request);
      let posted: { message: string; relayState: string | undefined };
      try {
        posted = readPostMessage(request.body, 'SAMLRequest');
      } catch (error) {
        return asRequestError(error);
      }
      const { message, relayState } = posted;
      if (relayState !== undefined && relayState.length > maxRelayState)
        refuseMessage('request', 'relay-state-too-long');
      const accepted = await acceptAuthnRequest(app, { xml: message, binding: 'post', querySigned: false, relayState });
      return start(request, reply, accepted);
    });
  };
}
