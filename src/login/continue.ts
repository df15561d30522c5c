import type { FastifyReply } from 'fastify';
import type { AppContext } from '../context.ts';
import { loginStep, type LoginStep } from './next-step.ts';
import type { SsoSession } from '../session/sso-session-repository.ts';
import type { LoginRequest } from './request.ts';
import { refuseUnmet } from './refuse-unmet.ts';
import { sessionAllowed } from './session-allowed.ts';
import type { AuditEvent } from '../audit/audit-log.ts';
import type { SessionStartWork } from '../flows/login/complete-login.ts';
import type { Queryable } from '../platform/db/database.ts';
import type { StatementPiece } from '../platform/db/statement-pieces.ts';
import type { SecondFactorWish } from '../methods/means-repository.ts';

type Reply = Pick<FastifyReply, 'redirect'>;

/** On to one of the login's pages, or the passive refusal where the service wants none. */
async function toPage(
  login: LoginRequest,
  reply: Reply,
  path: string,
  reason: 'login-needed' | 'step-up-needed' | 'consent-needed',
): Promise<FastifyReply> {
  if (login.passive) return login.answer.refuse({ kind: 'passive', reason });
  await login.beforePage();
  return reply.redirect(path, 303);
}

/**
 * After any step of a service's login, for every front door, in this order:
 *
 * 1. the session may answer (forced login, allowed methods), else back to the method choice;
 * 2. the level, and the account's second factor where it has one (next-step.ts `loginStep`):
 *    a page for only what is missing, or, when the account cannot get there, the page that says why
 *    and how (`{base}/level`, flows/level), whose way back to the service is the refusal `unmet`;
 * 3. the attributes the service requires (refusal `attributes`);
 * 4. consent (the consent page);
 * 5. the answer.
 *
 * A passive login (SAML IsPassive) is refused wherever a page would be needed.
 */
export async function continueLogin(
  app: AppContext,
  reply: Reply,
  login: LoginRequest,
  session: SsoSession,
  settled?: Settled,
): Promise<FastifyReply> {
  if (!sessionAllowed(login, session)) return toPage(login, reply, login.base, 'login-needed');
  const readWish = login.answer.secondFactorWish?.bind(login.answer, session);
  const step = settled?.step ?? (await loginStep(app, session, login.required, login.base, readWish));
  if (step.kind === 'page') return toPage(login, reply, step.path, 'step-up-needed');
  if (step.kind === 'unreachable') {
    // A page that explains the gap and the ways to close it; its "back to the service" refuses (issue 15, point 6).
    if (login.passive) return refuseUnmet(app, login, session, step.reachable);
    await login.beforePage();
    return reply.redirect(`${login.base}/level`, 303);
  }
  const missing = (await login.answer.missingAttributes?.(session)) ?? [];
  if (missing.length > 0) return login.answer.refuse({ kind: 'attributes', missing });
  if (login.answer.consented && !(await login.answer.consented(session)))
    return toPage(login, reply, `${login.base}/consent`, 'consent-needed');
  if (settled?.accepted) return settled.accepted();
  if (!login.service || settled?.audited) return login.answer.accept(session);
  const events = [serviceLogin(session, login.service.id)];
  if (login.answer.acceptAuditing) return login.answer.acceptAuditing(session, events);
  await app.audit.recordAll(app.db, events);
  return login.answer.accept(session);
}

/** The citizen's login history on "Mein Konto" names the service (issue 15, point 2); ids only (DESIGN.md §7). */
const serviceLogin = (session: SsoSession, serviceId: string): AuditEvent => ({
  actor: `account:${session.accountId}`,
  action: 'login.service',
  subject: `service:${serviceId}`,
  outcome: 'success',
  details: { level: session.level, method: session.method, amr: session.amr.join(' ') },
});

/** What a new session's transaction settled of `continueLogin` (`settleInTransaction`). */
export interface Settled {
  step: LoginStep;
  /** The history entry naming the service is written, with the session's. */
  audited: boolean;
  /** The answer, its writes made with the session's (LoginAnswerer `acceptInTransaction`): it only sends. */
  accepted?: () => Promise<FastifyReply>;
}

/**
 * The part of `continueLogin` a new session settles inside the transaction
 * that starts it (issue 16: one transaction per login, complete-login.ts):
 * the second-factor step at the service's level, from the account's second
 * factors as the session's start read them (`wish`), and where
 * that step is done and the answer checks nothing more (OIDC), the history
 * entry naming the service, returned for the session's audit append. A
 * step-up, and SAML's attribute and consent checks, are left to
 * `continueLogin` after the commit; the account's own pages need nothing.
 */
export async function settleInTransaction(
  app: AppContext,
  login: LoginRequest,
  session: SsoSession,
  tx: Queryable,
  wish: SecondFactorWish | undefined,
): Promise<{ settled: Settled | undefined; events: AuditEvent[] }> {
  if (!login.service || !sessionAllowed(login, session) || session.level < login.required)
    return { settled: undefined, events: [] };
  const step = await loginStep(app, session, login.required, login.base, { wish });
  const audited = step.kind === 'done' && !login.answer.missingAttributes && !login.answer.consented;
  // Nothing is left for `continueLogin` to check: the answer's writes go in this transaction too.
  const accepted = audited ? await login.answer.acceptInTransaction?.(session, tx) : undefined;
  return {
    settled: { step, audited, ...(accepted ? { accepted } : {}) },
    events: audited ? [serviceLogin(session, login.service.id)] : [],
  };
}

/**
 * A login method's success, for every method with a form: starts the
 * session with the method's own writes and, for a service's login, what
 * `settleInTransaction` settles, all in one transaction; then answers as
 * `finishLogin` does.
 */
export async function startAndFinishLogin(
  app: AppContext,
  reply: Reply,
  login: LoginRequest,
  start: (work: SessionStartWork) => Promise<SsoSession>,
  writes?: readonly StatementPiece<unknown>[],
): Promise<FastifyReply> {
  let settled: Settled | undefined;
  const session = await start({
    ...(writes ? { writes } : {}),
    async within(tx, started, { wish }) {
      const done = await settleInTransaction(app, login, started, tx, wish);
      settled = done.settled;
      return done.events;
    },
  });
  return finishLogin(app, reply, login, session, settled);
}

/**
 * After a login method or a second factor succeeded: a service's login runs
 * the pipeline; the account's own pages (no service) have no level of a
 * service, attributes or consent to check, and answer at once.
 */
export function finishLogin(
  app: AppContext,
  reply: Reply,
  login: LoginRequest,
  session: SsoSession,
  settled?: Settled,
): Promise<FastifyReply> {
  return login.service ? continueLogin(app, reply, login, session, settled) : login.answer.accept(session);
}
