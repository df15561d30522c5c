import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import type { Level } from '../../session/limits.ts';
import type { SsoSession } from '../../session/sso-session-repository.ts';
import { startSession } from '../login/complete-login.ts';

/**
 * A second factor was used: a new session (new id, OWASP: renew on privilege
 * change) at the level the means reach together, with the factors used
 * (RFC 8176 amr). `meansLevel` is what the second factor reaches (3, or 2 for
 * an SMS number registered in a weaker session); the identity data cap it.
 */
export function raiseSession(
  app: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  session: SsoSession,
  amr: readonly string[],
  meansLevel: Level = 3,
): Promise<SsoSession> {
  // A session started by a first factor that is multi-factor on its own (the eID, RFC 8176 `mfa`) is at
  // its level already: nothing to raise, and its authentication time (which confirms changes on Mein Konto
  // for accounts without a password) stays the time the card was used.
  const first = app.methods.list.find((m) => m.id === session.method);
  if (first?.factor === 'first' && first.amr.includes('mfa') && session.meansLevel >= meansLevel)
    return Promise.resolve(session);
  const level = Math.max(session.meansLevel, meansLevel) as Level;
  return startSession(
    app,
    request,
    reply,
    session.accountId,
    level,
    [...new Set([...session.amr, ...amr, 'mfa'])],
    session.method,
  );
}
