import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { pseudonym } from '../../login/pseudonym.ts';
import { randomToken } from '../../platform/crypto/tokens.ts';
import { AppError } from '../../platform/http/errors.ts';
import type { SamlService } from '../../services/service-repository.ts';
import type { AuditEvent } from '../../audit/audit-log.ts';
import type { Queryable } from '../../platform/db/database.ts';
import { runPieces } from '../../platform/db/statement-pieces.ts';
import type { SecondFactorWish } from '../../methods/means-repository.ts';
import type { SsoSession } from '../../session/sso-session-repository.ts';
import { attributeValue, type ReleaseContext, type ReleasedAttribute } from '../profile/attributes.ts';
import { postFormPage } from '../post-page.ts';
import { refuseMessage } from '../refusal.ts';
import { issueResponse, type ResponseContent } from '../response/issue.ts';
import { sectorOf } from '../profile/sector.ts';
import { answerWrites, readForAnswer } from './answer-repository.ts';
import type { PendingSamlLogin } from './pending-login-repository.ts';

export { identityAttributeOf } from '../profile/attributes.ts';

export type SamlOutcome =
  /** `release`: what the caller read for the checks before, so the answer does not read it again. */
  | { ok: true; session: SsoSession; release?: ReleaseContext }
  | { ok: false; status: string; subStatus: string; message: string };

/**
 * What the login's checks and the answer read of the account, in one
 * statement (answer-repository.ts, issue 16): what it can say to this
 * service at the session's level, its consent, its second-factor wish.
 */
export interface AnswerFacts {
  release: ReleaseContext;
  consent: string[] | undefined;
  wish: SecondFactorWish;
}

export async function answerFacts(app: AppContext, service: SamlService, session: SsoSession): Promise<AnswerFacts> {
  const read = await readForAnswer(app.db, session.accountId, service.id, app.methods.kinds('second'));
  if (!read) throw new AppError('interaction_expired');
  const { account, attributes } = read.source;
  return {
    release: {
      account,
      attributes,
      sessionLevel: session.level,
      amr: session.amr,
      method: session.method,
      bpk2: pseudonym(app.saml.pseudonymSecret, sectorOf(service.id, service.config), account.id),
    },
    consent: read.consent,
    wish: read.wish,
  };
}

/** What the account can say to this service, at the session's level. */
export async function releaseContext(
  app: AppContext,
  service: SamlService,
  session: SsoSession,
): Promise<ReleaseContext> {
  return (await answerFacts(app, service, session)).release;
}

/** Required attributes the account cannot provide (AKDB `RequiredAttribute="true"`). */
export function missingRequired(pending: PendingSamlLogin, ctx: ReleaseContext): string[] {
  return pending.request.requestedAttributes
    .filter((a) => a.required && !attributeValue(a.name, ctx))
    .map((a) => a.name);
}

/**
 * Answers the service, once per request: the Response goes by HTTP-POST to
 * the ACS from the metadata (the only binding the profile uses for it). A
 * successful login is recorded as a participation of the SSO session, so a
 * logout reaches the service; the SessionIndex and a transient NameID are
 * fresh per answer. `events`: audit events of the login (continueLogin's
 * history entry naming the service), appended before the answer's own in
 * its transaction (issue 16: one transaction per answer).
 */
export async function answerService(
  app: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  pending: PendingSamlLogin,
  service: SamlService,
  outcome: SamlOutcome,
  events: readonly AuditEvent[] = [],
): Promise<FastifyReply> {
  const r = pending.request;
  let released: ReleasedAttribute[] = [];
  let subject:
    { nameId: string; format: 'transient' | 'persistent'; sessionIndex: string; session: SsoSession } | undefined;
  let content: ResponseContent;
  if (outcome.ok) {
    const ctx = outcome.release ?? (await releaseContext(app, service, outcome.session));
    released = r.requestedAttributes.flatMap((a) => attributeValue(a.name, ctx) ?? []);
    subject = {
      nameId: r.nameIdFormat === 'persistent' ? ctx.bpk2 : randomToken(32),
      format: r.nameIdFormat,
      sessionIndex: `_${randomToken(24)}`,
      session: outcome.session,
    };
    content = {
      ok: true,
      session: outcome.session,
      nameId: subject.nameId,
      nameIdFormat: subject.format,
      sessionIndex: subject.sessionIndex,
      attributes: released,
    };
  } else {
    content = outcome;
  }
  // Built first: if signing or encryption failed, nothing would be recorded as answered.
  const samlResponse = await issueResponse(app, service, {
    inResponseTo: r.requestId,
    destination: r.acsUrl,
    vocabulary: r.vocabulary,
    ...content,
  });
  // A request answered in the request that brought it is recorded as seen here (authn-request/accept.ts: replay).
  const participation = subject && {
    sessionId: subject.session.id,
    accountId: subject.session.accountId,
    serviceId: service.id,
    sessionIndex: subject.sessionIndex,
    nameId: subject.nameId,
    nameIdFormat: subject.format,
  };
  const writes = answerWrites({ seen: pending.seen, participation });
  const audited = [
    ...events,
    {
      actor: subject ? `account:${subject.session.accountId}` : 'anonymous',
      action: 'saml.response',
      subject: `service:${service.id}`,
      outcome: outcome.ok ? 'success' : 'failure',
      details: outcome.ok
        ? { level: outcome.session.level, attributes: released.length }
        : { status: outcome.subStatus, message: outcome.message },
    } satisfies AuditEvent,
  ];
  // The answer's writes and its audit events in one statement, the events only if the request's id was new: one
  // round trip, and no transaction around it, which would cost two more (issue 16).
  const record = async (db: Queryable) => {
    const [fresh] = await runPieces(db, [writes.piece, app.audit.appendPiece(db, audited, writes.guard)]);
    if (!fresh) refuseMessage('request', 'saml-request-replayed', service.id);
  };
  // A login that exists only in this request (pending-login-repository.ts `store`) is answered only here; one stored
  // for a later step (a login form, a consent page) is answered once: marked done first, in the same transaction.
  const answered = pending.store
    ? await record(app.db).then(() => true)
    : await app.db.transaction(async (tx) => {
        if (!(await app.saml.pending.complete(tx, pending.uid))) return false;
        await record(tx);
        return true;
      });
  if (!answered) throw new AppError('interaction_expired');
  const fields: Record<string, string> = {
    SAMLResponse: samlResponse,
    ...(r.relayState !== undefined ? { RelayState: r.relayState } : {}),
  };
  return postFormPage(app, request, reply, { action: r.acsUrl, fields });
}
