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

/** Who started a logout: a service's LogoutRequest (answered at the end), or our own logout (continue to a page). */
export type LogoutInitiator =
  | { kind: 'service'; serviceId: string; requestId: string; relayState: string | undefined }
  | { kind: 'local'; continueTo: string };

/** Each service gets this long to answer before the flow is void (the citizen can always log in again). */
const flowLifetimeSeconds = 10 * 60;

/** Whether a session has SAML services to tell: only then does a logout walk the browser through them. */
export async function hasSamlParticipations(db: Queryable, sessionId: string): Promise<boolean> {
  const result = await db.query(
    "SELECT 1 FROM session_participations WHERE sso_session_id = $1 AND protocol = 'saml' AND ended_at IS NULL LIMIT 1",
    [sessionId],
  );
  return result.rowCount > 0;
}

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
  const participations = await tx.query<{ id: string }>(
    "SELECT id::text FROM session_participations WHERE sso_session_id = $1 AND protocol = 'saml' AND ended_at IS NULL AND service_id <> $2 ORDER BY id",
    [o.sessionId, o.exceptServiceId ?? ''],
  );
  const id = randomToken();
  await tx.query(
    'INSERT INTO saml_logout_flows (id, remaining, initiator, expires_at) VALUES ($1, $2::bigint[], $3, $4)',
    [
      id,
      participations.rows.map((r) => r.id),
      JSON.stringify(o.initiator),
      new Date(now.getTime() + flowLifetimeSeconds * 1000),
    ],
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
  // The browser came back without the service's answer (Back, reload): that service was not confirmed, so the logout is
  // partial.
  await app.db.query(
    'UPDATE saml_logout_flows SET partial = true, current_request_id = NULL WHERE id = $1 AND current_request_id IS NOT NULL',
    [flowId],
  );
  for (;;) {
    const popped = (
      await app.db.query<{ participation: string }>(
        `UPDATE saml_logout_flows SET remaining = remaining[2:], current_participation = remaining[1], current_request_id = NULL
       WHERE id = $1 AND expires_at > $2 AND cardinality(remaining) > 0 RETURNING current_participation::text AS participation`,
        [flowId, now],
      )
    ).rows[0];
    if (!popped) return finish(app, request, reply, flowId, now);
    const next = popped.participation;
    const participation = (
      await app.db.query<{ service_id: string; session_index: string; name_id: string; name_id_format: string }>(
        'SELECT service_id, session_index, name_id, name_id_format FROM session_participations WHERE id::text = $1',
        [next],
      )
    ).rows[0];
    const service = participation ? await app.services.samlById(participation.service_id) : undefined;
    const endpoint = service ? logoutEndpoint(service, 'request') : undefined;
    await app.db.query('UPDATE session_participations SET ended_at = $2 WHERE id::text = $1 AND ended_at IS NULL', [
      next,
      now,
    ]);
    if (!participation || !service || !endpoint) {
      // Nobody to tell: the participation ends here, and the initiator learns the logout was partial.
      await app.db.query('UPDATE saml_logout_flows SET partial = true WHERE id = $1', [flowId]);
      continue;
    }
    const requestId = newSamlId();
    await app.db.query(
      'UPDATE saml_logout_flows SET current_request_id = $2 WHERE id = $1 AND current_participation = $3::bigint',
      [flowId, requestId, next],
    );
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
  const flow = (
    await app.db.query<{ id: string; service_id: string | null }>(
      `SELECT f.id, p.service_id FROM saml_logout_flows f LEFT JOIN session_participations p ON p.id = f.current_participation
     WHERE f.current_request_id = $1 AND f.expires_at > $2`,
      [o.inResponseTo, app.clock.now()],
    )
  ).rows[0];
  // Only the service we asked may answer, and only once (the request id is cleared).
  if (o.boundToFlow !== undefined && flow?.id !== o.boundToFlow)
    refuseMessage('logout', 'saml-logout-not-signed', o.issuer);
  if (!flow || flow.service_id !== o.issuer) refuseMessage('logout', 'logout-response-unexpected', o.issuer);
  await app.db.query('UPDATE saml_logout_flows SET current_request_id = NULL, partial = partial OR $2 WHERE id = $1', [
    flow.id,
    !o.success,
  ]);
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
  const flow = (
    await app.db.query<{ initiator: LogoutInitiator; partial: boolean }>(
      'DELETE FROM saml_logout_flows WHERE id = $1 AND expires_at > $2 AND cardinality(remaining) = 0 RETURNING initiator, partial',
      [flowId, now],
    )
  ).rows[0];
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
