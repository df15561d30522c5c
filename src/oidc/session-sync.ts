import type { AppContext } from '../context.ts';

/**
 * RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0 §2) ends the
 * provider's session; this ends the Servicekonto's SSO session with it, before
 * the response leaves, so the next page already sees the citizen logged out.
 */
export function installOidcSessionSync(app: AppContext): void {
  app.provider.use(async (ctx, next) => {
    await next();
    if (ctx.oidc?.route !== 'end_session_confirm') return;
    const params = ctx.oidc.params as { logout?: unknown } | undefined;
    if (!params?.logout) return;
    const token = ctx.cookies.get(app.cookies.session);
    const session = await app.sessions.resume(token);
    await app.sessions.end(token);
    ctx.cookies.set(app.cookies.session, null, { path: '/', httpOnly: true, sameSite: 'lax', secure: app.config.production });
    if (session) {
      await app.audit.record(app.db, { actor: `account:${session.accountId}`, action: 'logout', subject: `account:${session.accountId}`, outcome: 'success' });
    }
  });
}
