import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import type { AuditEvent } from '../../audit/audit-log.ts';
import type { Queryable } from '../../platform/db/database.ts';
import { cookieOptions } from '../../platform/http/cookies.ts';
import { loginLevel } from '../../session/level.ts';
import type { Level } from '../../session/limits.ts';
import type { SsoSession } from '../../session/sso-session-repository.ts';
import { moveParticipations } from '../../session/participation-repository.ts';
import { hashToken } from '../../platform/crypto/tokens.ts';
import { sessionLimits } from '../../session/limits.ts';
import { AppError } from '../../platform/http/errors.ts';
import { deviceOf } from '../../session/device.ts';
import { runPieces, type StatementPiece } from '../../platform/db/statement-pieces.ts';
import { loginRecordedPiece } from '../../identity/account-repository.ts';
import { attributesPiece } from '../../identity/attribute-repository.ts';
import { secondFactorWishPiece, type SecondFactorWish } from '../../methods/means-repository.ts';

/** More of a login that belongs in the transaction that starts its session (issue 16: one transaction per login). */
export interface SessionStartWork {
  /**
   * The login method's own writes of its success (`AuthenticationResult.writes`: throttle, the means' last use),
   * pieces of the statement that records the login.
   */
  writes?: readonly StatementPiece<unknown>[];
  /**
   * Runs once the session exists (login/continue.ts `settleInTransaction`), given the account's second factors as
   * that statement read them; the audit events it returns are appended after the login's own.
   */
  within?: (tx: Queryable, session: SsoSession, read: { wish: SecondFactorWish | undefined }) => Promise<AuditEvent[]>;
}

/**
 * After a method succeeded: one SSO session (replacing any earlier one, to
 * prevent session fixation, OWASP Session Management §Renew), the audit
 * entry, and the login time.
 */
export async function startSession(
  app: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  accountId: string,
  meansLevel: Level,
  amr: string[],
  method = 'password',
  work: SessionStartWork = {},
): Promise<SsoSession> {
  // One transaction: the old session ends, the new one starts and the audit
  // entry exists together, or none of it; the cookie follows only then.
  const { token, session } = await app.db.transaction(async (tx) => {
    // One statement (issue 16): the method's writes, the login time with the account's state, the identity data
    // that cap the level, and the second factors the next step asks about (login/next-step.ts); each repository
    // keeps its SQL. Read in the login's transaction, as they were statement by statement.
    const [state, attributes, wish] = await runPieces(tx, [
      loginRecordedPiece(accountId, app.clock.now()),
      attributesPiece(accountId),
      secondFactorWishPiece(accountId, app.methods.kinds('second')),
      ...(work.writes ?? []),
    ]);
    // Every method ends here, so an account the operator locked (`servicekonto user lock`) gets no session by any of
    // them (eID, passkey, recovery); the password form says so itself (methods/password). The login time and the
    // method's writes are rolled back with the rest.
    if (state === 'locked') throw new AppError('account_locked');
    const level = loginLevel(meansLevel, attributes ?? new Map());
    const previous = request.cookies[app.cookies.session];
    await app.sessions.end(previous, tx);
    // Browser and system in two words, for the list of sessions on "Mein Konto" (issue 15, point 2).
    const device = deviceOf(request.headers['user-agent']);
    const started = await app.sessions.start(accountId, level, amr, tx, meansLevel, method, device);
    // The services this browser already logged in to stay reachable by logout under the new id (step-up
    // renews the id); a different account's services lose their link, since that login is over.
    if (previous) await moveParticipations(tx, hashToken(previous), started.session.id, accountId, app.clock.now());
    const more = (await work.within?.(tx, started.session, { wish })) ?? [];
    // Last: the audit log's lock waits for every other append until the commit.
    await app.audit.recordAll(tx, [
      {
        actor: `account:${accountId}`,
        action: 'login',
        subject: `account:${accountId}`,
        outcome: 'success',
        details: { level, amr: amr.join(' '), method },
      },
      ...more,
    ]);
    return started;
  });
  reply.setCookie(
    app.cookies.session,
    token,
    cookieOptions(app.config.production, sessionLimits(session.level).maxSeconds),
  );
  request.sso = session;
  return session;
}
