import { interactionPolicy, type KoaContextWithOIDC } from 'oidc-provider';
import type { ServiceRepository } from '../services/service-repository.ts';
import { requiredLevel } from '../session/required-level.ts';
import type { SsoSession, SsoSessions } from '../session/sso-session-repository.ts';
import { adoptSsoLogin } from './adopt-sso-login.ts';
import { takeSsoResumed } from './request-scope.ts';

/**
 * One truth for "who is logged in" (DESIGN.md §5a): oidc-provider keeps its
 * own session record, but it must follow the Servicekonto's SSO session.
 * Whenever the two differ in account (ours ended by logout, expiry or a
 * password reset; or another citizen logged in), the login prompt runs and
 * our flow decides. Where they agree, the provider's session takes the
 * login facts (acr, amr, auth_time) of ours before any check reads them
 * (adopt-sso-login.ts).
 */
export function buildInteractionPolicy(sessions: SsoSessions, sessionCookie: string, services: ServiceRepository) {
  const policy = interactionPolicy.base();
  // Both checks need the session; one look-up (and idle extension) per authorization request.
  const resumed = new WeakMap<KoaContextWithOIDC, Promise<SsoSession | undefined>>();
  const ourSession = (ctx: KoaContextWithOIDC): Promise<SsoSession | undefined> => {
    let found = resumed.get(ctx);
    if (!found) {
      // Resumed with the interaction when the request read one (adapter.ts), else now.
      const token = ctx.cookies.get(sessionCookie);
      const ahead = takeSsoResumed(token);
      found = (ahead ? Promise.resolve(ahead.session) : sessions.resume(token)).then((ours) => {
        const provider = ctx.oidc.session;
        if (ours && provider?.accountId === ours.accountId) adoptSsoLogin(provider, ours);
        return ours;
      });
      resumed.set(ctx, found);
    }
    return found;
  };
  const login = policy.get('login');
  if (!login) throw new Error('oidc-provider base policy has no login prompt');
  // The checks of a prompt run at once: max_age reads the login time only after ours was adopted.
  const maxAge = login.checks.get('max_age');
  if (!maxAge) throw new Error('oidc-provider base policy has no max_age check');
  const providerMaxAge = maxAge.check;
  maxAge.check = async (ctx: KoaContextWithOIDC) => {
    if (ctx.oidc.params?.max_age !== undefined && ctx.oidc.session?.accountId) await ourSession(ctx);
    return providerMaxAge(ctx);
  };
  login.checks.add(
    new interactionPolicy.Check(
      'sso_session_mismatch',
      'The Servicekonto session does not match',
      'login_required',
      async (ctx: KoaContextWithOIDC) => {
        const accountId = ctx.oidc.session?.accountId;
        if (!accountId) return interactionPolicy.Check.NO_NEED_TO_PROMPT; // no_session already asks.
        const ours = await ourSession(ctx);
        return ours?.accountId === accountId
          ? interactionPolicy.Check.NO_NEED_TO_PROMPT
          : interactionPolicy.Check.REQUEST_PROMPT;
      },
    ),
  );
  // Step-up: the session is below the level this service needs (acr_values or its minimum).
  login.checks.add(
    new interactionPolicy.Check(
      'acr_too_low',
      'The session is below the level the service needs',
      'login_required',
      async (ctx: KoaContextWithOIDC) => {
        const client = ctx.oidc.client;
        if (!client || !ctx.oidc.session?.accountId) return interactionPolicy.Check.NO_NEED_TO_PROMPT;
        const ours = await ourSession(ctx);
        if (!ours) return interactionPolicy.Check.NO_NEED_TO_PROMPT;
        const service = await services.byId(client.clientId);
        return requiredLevel(ctx.oidc.params?.acr_values, service?.minLevel ?? 1) > ours.level
          ? interactionPolicy.Check.REQUEST_PROMPT
          : interactionPolicy.Check.NO_NEED_TO_PROMPT;
      },
    ),
  );
  return policy;
}
