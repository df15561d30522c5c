import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { randomToken } from '../../platform/crypto/tokens.ts';
import type { Queryable } from '../../platform/db/database.ts';
import { refuseMessage } from '../refusal.ts';
import { AppError } from '../../platform/http/errors.ts';
import { status } from '../constants.ts';
import { newSamlId } from '../response/build.ts';
import { logoutEndpoint, sendToService } from '../send.ts';
import { buildXml } from '../../platform/xml/build.ts';
import { buildLogoutRequest, buildLogoutResponse } from './messages.ts';
import { forgetLogoutFlow, rememberLogoutFlow } from './browser-bound.ts';
import { logoutFlowRepository } from './logout-flow-repository.ts';
import { endRunningParticipation, participationById, participationsToTell } from './participation-repository.ts';

/** Who started a logout: a service's LogoutRequest (answered at the end), or our own logout (continue to a page). */
export type LogoutInitiator =
  | { kind: 'service'; serviceId: string; requestId: string; relayState: string | undefined }
  | { kind: 'local'; continueTo: string };

/** Each service gets this long to answer before the flow is void (the citizen can always log in again). */
const flowLifetimeSeconds = 10 * 60;

/**
 * Starts a single logout over the SAML services of an SSO session, except
 * the one that asked for it. Answers the flow id; the browser then walks
 * /saml/logout/next/<id>. Call in the transaction that ends the session.
 */
export async function startLogoutFlow(
  tx: Queryable,
  now: Date,
  o: { sessionId: string; initiator: LogoutInitiator; exceptServiceId?: string },
): Promise<string> {
  const participations = await participationsToTell(tx, o.sessionId, o.exceptServiceId ?? '');
  const id = randomToken();
  await logoutFlowRepository(tx).create(
    id,
    participations,
    o.initiator,
    new Date(now.getTime() + flowLifetimeSeconds * 1000),
  );
  return id;
}

/**
 * The next service of the flow gets its LogoutRequest; after the last one,
 * the initiator gets its answer. Each step takes its service off the list in
 * one statement, so two requests racing on the same flow never ask a service
 * twice or answer the initiator twice.
 */
export async function continueLogoutFlow(
  app: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  flowId: string,
): Promise<FastifyReply> {
  const now = app.clock.now();
  const flows = logoutFlowRepository(app.db);
  // The browser came back without the service's answer (Back, reload): that service was not confirmed, so the logout is
  // partial.
  await flows.abandonCurrent(flowId);
  for (;;) {
    const next = await flows.popNext(flowId, now);
    if (next === undefined) return finish(app, request, reply, flowId, now);
    const participation = await participationById(app.db, next);
    const service = participation ? await app.services.samlById(participation.service_id) : undefined;
    const endpoint = service ? logoutEndpoint(service, 'request') : undefined;
    await endRunningParticipation(app.db, next, now);
    if (!participation || !service || !endpoint) {
      // Nobody to tell: the participation ends here, and the initiator learns the logout was partial.
      await flows.markPartial(flowId);
      continue;
    }
    const requestId = newSamlId();
    await flows.awaitAnswer(flowId, requestId, next);
    // The service's answer may come unsigned; it is then taken only from this browser (browser-bound.ts).
    rememberLogoutFlow(app, reply, flowId);
    const xml = buildXml(
      buildLogoutRequest({
        id: requestId,
        issuer: app.saml.entityId,
        destination: endpoint.url,
        now,
        nameId: participation.name_id,
        nameIdFormat: participation.name_id_format,
        spEntityId: service.id,
        sessionIndex: participation.session_index,
      }),
    );
    return sendToService(app, request, reply, {
      service,
      endpoint,
      parameter: 'SAMLRequest',
      xml,
      relayState: undefined,
    });
  }
}

/**
 * A service answered our LogoutRequest: note a failure, then on to the next one.
 * `boundToFlow`: an unsigned answer, taken only for the flow this browser walks (saml-profiles §4.4.4.2).
 */
export async function logoutAnswered(
  app: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  o: { inResponseTo: string; issuer: string; success: boolean; boundToFlow?: string | undefined },
): Promise<FastifyReply> {
  const flows = logoutFlowRepository(app.db);
  const flow = await flows.awaiting(o.inResponseTo, app.clock.now());
  // Only the service we asked may answer, and only once (the request id is cleared).
  if (o.boundToFlow !== undefined && flow?.id !== o.boundToFlow)
    refuseMessage('logout', 'saml-logout-not-signed', o.issuer);
  if (!flow || flow.service_id !== o.issuer) refuseMessage('logout', 'logout-response-unexpected', o.issuer);
  await flows.answered(flow.id, !o.success);
  return continueLogoutFlow(app, request, reply, flow.id);
}

async function finish(
  app: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  flowId: string,
  now: Date,
): Promise<FastifyReply> {
  // Taken in one statement: the initiator is answered once.
  const flow = await logoutFlowRepository(app.db).takeFinished(flowId, now);
  if (!flow) throw new AppError('interaction_expired');
  forgetLogoutFlow(app, request, reply);
  const initiator = flow.initiator;
  if (initiator.kind === 'local') return reply.redirect(initiator.continueTo, 303);
  const service = await app.services.samlById(initiator.serviceId);
  const endpoint = service ? logoutEndpoint(service, 'response') : undefined;
  if (!service || !endpoint) return reply.redirect('/logout/done', 303);
  const xml = buildXml(
    buildLogoutResponse({
      id: newSamlId(),
      issuer: app.saml.entityId,
      destination: endpoint.url,
      now: app.clock.now(),
      inResponseTo: initiator.requestId,
      statusCode: status.success,
      subStatusCode: flow.partial ? status.partialLogout : undefined,
    }),
  );
  return sendToService(app, request, reply, {
    service,
    endpoint,
    parameter: 'SAMLResponse',
    xml,
    relayState: initiator.relayState,
  });
}
