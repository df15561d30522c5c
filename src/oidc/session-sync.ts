import type { AppContext } from '../context.ts';
import { cookieOptions } from '../platform/http/cookies.ts';

/**
 * RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0 §2) ends the
 * provider's session; this ends the Servicekonto's SSO session with it, before
 * the response leaves, so the next page already sees the citizen logged out.
 * Only a confirmed logout of a provider session counts: without one the
 * provider auto-submits its form, and a cross-site link must not log the
 * citizen out (logout CSRF); /logout handles that case itself.
 */
export function installOidcSessionSync(app: AppContext): void {
  app.provider.use(async (ctx, next) => {
    await next();
    if (ctx.oidc?.route !== 'end_session_confirm') return;
    const params = ctx.oidc.params as { logout?: unknown } | undefined;
    if (!params?.logout || !ctx.oidc.session?.accountId) return;
    const token = ctx.cookies.get(app.cookies.session);
    const session = await app.sessions.resume(token);
    await app.db.transaction(async (tx) => {
      await app.sessions.end(token, tx);
      if (session) await app.audit.record(tx, { actor: `account:${session.accountId}`, action: 'logout', subject: `account:${session.accountId}`, outcome: 'success' });
    });
    ctx.cookies.set(app.cookies.session, null, { ...cookieOptions(app.config.production), secure: app.config.production });
  });
}
