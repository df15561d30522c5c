import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { cookieOptions } from '../../platform/http/cookies.ts';
import { hashToken } from '../../platform/crypto/tokens.ts';
import { decodeRedirectMessage, readRedirectQuery, type RedirectQuery } from '../bindings/redirect.ts';
import { readPostMessage } from '../post-page.ts';
import { ns, status } from '../constants.ts';
import { singleChild, textOf } from '../authn-request/elements.ts';
import { firstSeen, issuedRecently, limitSamlRequests, rawQuery } from '../inbound.ts';
import { isSigned, verifySignedMessage } from '../crypto/verify-element.ts';
import { verifyRedirectSignature } from '../crypto/verify-query.ts';
import { newSamlId } from '../response/build.ts';
import { pemOf } from '../response/issue.ts';
import { logoutEndpoint, sendToService } from '../send.ts';
import { buildXml } from '../../platform/xml/build.ts';
import { SamlInputError, SamlXmlError } from '../../platform/xml/errors.ts';
import { parseSamlXml } from '../../platform/xml/parse.ts';
import { validateSamlSchema } from '../xml/schema.ts';
import { continueLogoutFlow, logoutAnswered, startLogoutFlow } from './flow.ts';
import { decryptNameId } from './encrypted-id.ts';
import { SamlAlgorithmError } from '../crypto/errors.ts';
import { logRefusal, refuseAlgorithm, refuseMessage } from '../refusal.ts';
import { buildLogoutResponse, readLogoutRequest, readLogoutResponse } from './messages.ts';
import { logoutFlowOfBrowser } from './browser-bound.ts';
import { boundParticipation, endServiceParticipations, signedParticipation } from './participation-repository.ts';
import type { SamlService } from '../../services/service-repository.ts';

interface Inbound {
  xml: string;
  parameter: 'SAMLRequest' | 'SAMLResponse';
  relayState: string | undefined;
  /** HTTP-Redirect: the query, whose signature covers the message. */
  query: RedirectQuery | undefined;
}

const invalid = (detail: string, entityId?: string): never => refuseMessage('logout', detail, entityId);

/**
 * Single Logout (saml-profiles §4.4), SP- and IdP-initiated, over
 * HTTP-Redirect and HTTP-POST. An inbound logout message must be signed, or,
 * from a service that does not sign, bound to this browser (browser-bound.ts):
 * an unbound unsigned LogoutRequest would let any page log a citizen out, and
 * a forged LogoutResponse could cut the chain short.
 */
export function samlLogoutRoutes(app: AppContext) {
  /**
   * The message as the signature covers it: for POST the re-parsed signed content, for Redirect the
   * whole (query-signed) document. Unsigned only from a service that does not sign (its metadata's
   * AuthnRequestsSigned): `signed: false` must then be bound to this browser (browser-bound.ts).
   */
  async function verified(
    inbound: Inbound,
    issuerOf: (document: Document) => string | undefined,
  ): Promise<{ service: SamlService; document: Document; signed: boolean }> {
    let document: Document;
    try {
      document = parseSamlXml(inbound.xml);
      await validateSamlSchema(inbound.xml, 'protocol');
    } catch (error) {
      // Only the XML layer's refusals are the message's fault; anything else is ours and goes on as a 500.
      if (!(error instanceof SamlXmlError)) throw error;
      return invalid(`saml-logout-malformed:${(error as { code?: string }).code ?? 'schema'}`);
    }
    const issuer = issuerOf(document);
    const service = issuer ? await app.services.samlById(issuer) : undefined;
    if (!service) return invalid('issuer-unknown', issuer);
    const unsigned = () =>
      service.config.authnRequestsSigned
        ? invalid('saml-logout-not-signed', service.id)
        : { service, document, signed: false };
    const certificates = service.config.signingCertificates.map(pemOf);
    if (inbound.query !== undefined) {
      // saml-bindings §3.4.4.1: over HTTP-Redirect the signature is on the query, never in the XML.
      if (isSigned(inbound.xml)) return invalid('saml-logout-not-signed', service.id);
      if (inbound.query.signature === undefined) return unsigned();
      try {
        verifyRedirectSignature(inbound.query, certificates);
      } catch (error) {
        return error instanceof SamlAlgorithmError
          ? refuseAlgorithm('logout', error, service.id)
          : invalid('saml-logout-signature-invalid', service.id);
      }
      return { service, document, signed: true };
    }
    try {
      return { service, document: verifySignedMessage(inbound.xml, certificates).document, signed: true };
    } catch (error) {
      if (error instanceof SamlAlgorithmError) return refuseAlgorithm('logout', error, service.id);
      if (error instanceof SamlInputError && error.code === 'unsigned') return unsigned();
      return invalid('saml-logout-signature-invalid', service.id);
    }
  }

  const issuerText = (document: Document) => {
    const issuer = document.documentElement ? singleChild(document.documentElement, ns.assertion, 'Issuer') : undefined;
    return issuer && issuer !== 'many' ? textOf(issuer) : undefined;
  };

  async function handle(request: FastifyRequest, reply: FastifyReply, inbound: Inbound): Promise<FastifyReply> {
    const { service, document, signed } = await verified(inbound, issuerText);
    const now = app.clock.now();
    const fresh = (issued: Date) => issuedRecently(issued, now);
    const ourEndpoint = `${app.config.publicUrl}/saml/slo`;

    if (inbound.parameter === 'SAMLResponse') {
      const read = readLogoutResponse(document);
      if (!read.ok || read.fields.issuer !== service.id)
        return invalid(`saml-logout-${read.ok ? 'issuer' : read.problem}`, service.id);
      if (!fresh(read.fields.issueInstant)) return invalid('saml-logout-expired', service.id);
      // A signed message names where it is going (saml-bindings §3.4.5.2, §3.5.5.2).
      if (read.fields.destination !== ourEndpoint) return invalid('saml-logout-destination', service.id);
      // Unsigned: only the answer to the LogoutRequest we sent this browser's running logout (saml-profiles §4.4.4.2).
      const boundToFlow = signed
        ? undefined
        : (logoutFlowOfBrowser(app, request) ?? invalid('saml-logout-not-signed', service.id));
      return logoutAnswered(app, request, reply, {
        inResponseTo: read.fields.inResponseTo,
        issuer: service.id,
        success: read.fields.statusCode === status.success,
        boundToFlow,
      });
    }

    const read = readLogoutRequest(document);
    if (!read.ok || read.fields.issuer !== service.id)
      return invalid(`saml-logout-${read.ok ? 'issuer' : read.problem}`, service.id);
    const f = read.fields;
    if (!fresh(f.issueInstant) || (f.notOnOrAfter && f.notOnOrAfter.getTime() <= now.getTime()))
      return invalid('saml-logout-expired', service.id);
    if (f.destination !== ourEndpoint) return invalid('saml-logout-destination', service.id);
    if (!(await firstSeen(app.db, service.id, f.id, now))) return invalid('saml-logout-replayed', service.id);
    const nameId =
      'clear' in f.nameId
        ? f.nameId.clear
        : await decryptNameId(
            f.nameId.encrypted,
            (await app.saml.keys()).published('encryption', now).map((key) => key.privateKeyPem),
          );
    if (nameId === undefined) return invalid('saml-logout-encrypted-id', service.id);

    // Whose session: the participation this service was told about (NameID and SessionIndex must both match).
    // Without SessionIndex the request means every session of that NameID at this service (saml-core §3.7.1).
    // Unsigned: only a running participation in this very browser's session, with the NameID and SessionIndex
    // we issued to this service in it (saml-profiles §4.4.4.1, "a binding-specific mechanism"); else refused.
    const participation = signed
      ? await signedParticipation(app.db, { serviceId: service.id, nameId, sessionIndexes: f.sessionIndexes })
      : ((await boundParticipation(app.db, {
          ssoSessionId: request.sso?.id,
          serviceId: service.id,
          nameId,
          sessionIndexes: f.sessionIndexes,
        })) ?? invalid('saml-logout-not-signed', service.id));
    const endpoint = logoutEndpoint(service, 'response');
    if (!endpoint) return invalid('slo-not-in-metadata', service.id);
    if (!participation || participation.ended_at) {
      // Unknown: nothing of ours to end (saml-core §3.7.3.2). Already ended: logout is idempotent.
      const code = participation ? status.success : status.requester;
      const xml = buildXml(
        buildLogoutResponse({
          id: newSamlId(),
          issuer: app.saml.entityId,
          destination: endpoint.url,
          now: app.clock.now(),
          inResponseTo: f.id,
          statusCode: code,
          subStatusCode: participation ? undefined : 'urn:oasis:names:tc:SAML:2.0:status:UnknownPrincipal',
        }),
      );
      return sendToService(app, request, reply, {
        service,
        endpoint,
        parameter: 'SAMLResponse',
        xml,
        relayState: inbound.relayState,
      });
    }
    const flowId = await app.db.transaction(async (tx) => {
      // Every participation of this service in the session ends: it asked, and the flow below skips it.
      await endServiceParticipations(tx, {
        ssoSessionId: participation.sso_session_id,
        serviceId: service.id,
        at: app.clock.now(),
      });
      const flow = await startLogoutFlow(tx, app.clock.now(), {
        sessionId: participation.sso_session_id,
        initiator: { kind: 'service', serviceId: service.id, requestId: f.id, relayState: inbound.relayState },
        exceptServiceId: service.id,
      });
      // The SSO session ends, and the other protocols' services of the account are told (back-channel logout).
      await app.logout.notifyAccount(tx, participation.account_id);
      await app.sessions.endById(participation.sso_session_id, tx);
      await app.audit.record(tx, {
        actor: `service:${service.id}`,
        action: 'logout',
        subject: `account:${participation.account_id}`,
        outcome: 'success',
        details: { via: 'saml' },
      });
      return flow;
    });
    const cookie = request.cookies[app.cookies.session];
    if (cookie && hashToken(cookie) === participation.sso_session_id)
      reply.clearCookie(app.cookies.session, cookieOptions(app.config.production));
    return continueLogoutFlow(app, request, reply, flowId);
  }

  function fromQuery(request: FastifyRequest): Inbound {
    try {
      const query = readRedirectQuery(rawQuery(request));
      return { xml: decodeRedirectMessage(query.message), parameter: query.kind, relayState: query.relayState, query };
    } catch (error) {
      return invalid(`saml-logout-${(error as { code?: string }).code ?? 'encoding'}`);
    }
  }

  function fromBody(request: FastifyRequest): Inbound {
    try {
      const { kind, message, relayState } = readPostMessage(request.body, 'either');
      return { xml: message, parameter: kind, relayState, query: undefined };
    } catch (error) {
      return invalid(`saml-logout-${(error as { code?: string }).code ?? 'encoding'}`);
    }
  }

  return async function routes(fastify: FastifyInstance): Promise<void> {
    fastify.addHook('onError', async (request, _reply, error) => logRefusal(request.log, error));
    // Limited like /saml/sso: each message costs a schema validation before any signature is checked.
    fastify.get('/saml/slo', async (request, reply) => {
      await limitSamlRequests(app, request);
      return handle(request, reply, fromQuery(request));
    });
    // The service's page posts here (SAML Bindings §3.5): no CSRF token of ours.
    fastify.post('/saml/slo', { config: { csrf: false } }, async (request, reply) => {
      await limitSamlRequests(app, request);
      return handle(request, reply, fromBody(request));
    });
    fastify.get<{ Params: { flow: string } }>('/saml/logout/next/:flow', (request, reply) =>
      continueLogoutFlow(app, request, reply, request.params.flow),
    );
  };
}
