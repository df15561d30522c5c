/**
 * Exports `answerGuest(app, request, reply, pending, service, o)`: the
 * Response of a guest login (design notes §6 Guest login; PROFILES.md §1).
 *
 * As `answerService` for a session, with what a login without an account
 * lacks: a transient NameID that is random per answer (never the bPK2), the
 * attributes read from the card, and no participation, since there is no
 * SSO session a single logout could end. The assertion's session window is
 * the longest session of the level reached (TR-03160-1 table 2); the
 * service keeps its own session.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { randomToken } from '../../platform/crypto/tokens.ts';
import { AppError } from '../../platform/http/errors.ts';
import type { SamlService } from '../../services/service-repository.ts';
import { sessionLimits, type Level } from '../../session/limits.ts';
import { postFormPage } from '../post-page.ts';
import type { ReleasedAttribute } from '../profile/attributes.ts';
import { issueResponse } from '../response/issue.ts';
import type { PendingSamlLogin } from './pending-login-repository.ts';

export async function answerGuest(
  app: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  pending: PendingSamlLogin,
  service: SamlService,
  o: { level: Level; attributes: readonly ReleasedAttribute[] },
): Promise<FastifyReply> {
  const r = pending.request;
  const now = app.clock.now();
  const samlResponse = await issueResponse(app, service, {
    inResponseTo: r.requestId,
    destination: r.acsUrl,
    vocabulary: r.vocabulary,
    ok: true,
    session: {
      authTime: now,
      expiresAt: new Date(now.getTime() + sessionLimits(o.level).maxSeconds * 1000),
      level: o.level,
    },
    nameId: randomToken(32),
    nameIdFormat: 'transient',
    sessionIndex: `_${randomToken(24)}`,
    attributes: o.attributes,
  });
  const answered = await app.db.transaction(async (tx) => {
    if (!(await app.saml.pending.complete(tx, pending.uid))) return false;
    await app.audit.record(tx, {
      actor: 'guest',
      action: 'saml.response',
      subject: `service:${service.id}`,
      outcome: 'success',
      details: { level: o.level, attributes: o.attributes.length, guest: true },
    });
    return true;
  });
  if (!answered) throw new AppError('interaction_expired');
  const fields: Record<string, string> = {
    SAMLResponse: samlResponse,
    ...(r.relayState !== undefined ? { RelayState: r.relayState } : {}),
  };
  return postFormPage(app, request, reply, { action: r.acsUrl, fields });
}
