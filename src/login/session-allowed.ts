import type { SsoSession } from '../session/sso-session-repository.ts';
import type { LoginRequest } from './request.ts';

/**
 * Whether the browser's session may answer this login without a new one:
 * a forced login wants one made after the request (SAML ForceAuthn,
 * saml-core §3.4.1); a list of allowed methods wants a session begun with
 * one of them (a password session is not an eID login).
 */
export function sessionAllowed(
  login: Pick<LoginRequest, 'forceAfter' | 'allowedMethods'>,
  session: SsoSession | undefined,
): session is SsoSession {
  if (!session) return false;
  if (login.forceAfter && session.authTime.getTime() < login.forceAfter.getTime()) return false;
  return !login.allowedMethods || login.allowedMethods.includes(session.method);
}
