import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { cookieOptions } from '../../platform/http/cookies.ts';
import { hashToken } from '../../platform/crypto/tokens.ts';
import { status } from '../constants.ts';
import { firstSeen, issuedRecently, limitSamlRequests } from '../inbound.ts';
import { newSamlId } from '../response/build.ts';
import { logoutEndpoint, sendToService } from '../send.ts';
import { buildXml } from '../../platform/xml/build.ts';
import { continueLogoutFlow, logoutAnswered, startLogoutFlow } from './flow.ts';
import { decryptNameId } from './encrypted-id.ts';
import { logRefusal } from '../refusal.ts';
import { buildLogoutResponse, readLogoutRequest, readLogoutResponse } from './messages.ts';
import { logoutFlowOfBrowser } from './browser-bound.ts';
import { boundParticipation, endServiceParticipations, signedParticipation } from './participation-repository.ts';
import {
  inboundFromBody,
  inboundFromQuery,
  invalid,
  issuerText,
  verifiedLogoutMessage,
  type Inbound,
} from './inbound-message.ts';

/**
 * Single Logout (saml-profiles §4.4), SP- and IdP-initiated, over
 * HTTP-Redirect and HTTP-POST. An inbound logout message must be signed, or,
 * from a service that does not sign, bound to this browser (browser-bound.ts):
 * an unbound unsigned LogoutRequest would let any page log a citizen out, and
 * a forged LogoutResponse could cut the chain short.
 */
export function samlLogoutRoutes(app: AppContext) {
  async function handle(request: FastifyRequest, reply: FastifyReply, inbound: Inbound): Promise<FastifyReply> {
    const { service, document, signed } = await verifiedLogoutMessage(app, inbound, issuerText);
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

  return async function routes(fastify: FastifyInstance): Promise<void> {
    fastify.addHook('onError', async (request, _reply, error) => logRefusal(request.log, error));
    // Limited like /saml/sso: each message costs a schema validation before any signature is checked.
    fastify.get('/saml/slo', async (request, reply) => {
      await limitSamlRequests(app, request);
      return handle(request, reply, inboundFromQuery(request));
    });
    // The service's page posts here (SAML Bindings §3.5): no CSRF token of ours.
    fastify.post('/saml/slo', { config: { csrf: false } }, async (request, reply) => {
      await limitSamlRequests(app, request);
      return handle(request, reply, inboundFromBody(request));
    });
    fastify.get<{ Params: { flow: string } }>('/saml/logout/next/:flow', (request, reply) =>
      continueLogoutFlow(app, request, reply, request.params.flow),
    );
  };
}
