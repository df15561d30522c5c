import type { AppContext } from '../context.ts';
import { cookieOptions } from '../platform/http/cookies.ts';
import { endInBrowser } from '../session/end-in-browser.ts';
import { flushHeld } from './request-scope.ts';

/**
 * RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0 §2) ends the
 * provider's session; this ends the Servicekonto's SSO session with it, before
 * the response leaves, so the next page already sees the citizen logged out.
 * Only a confirmed logout of a provider session counts: without one the
 * provider auto-submits its form, and a cross-site link must not log the
 * citizen out (logout CSRF); /logout handles that case itself. A refused
 * confirmation (a missing or wrong `xsrf`, §6 logout CSRF) answers 400 and
 * leaves the provider's session alone: ours stays too, so only a session
 * the provider really ended counts.
 */
export function installOidcSessionSync(app: AppContext): void {
  app.provider.use(async (ctx, next) => {
    await next();
    if (ctx.oidc?.route !== 'end_session_confirm') return;
    const params = ctx.oidc.params as { logout?: unknown } | undefined;
    if (!params?.logout || !ctx.oidc.session?.accountId || !endedByProvider(ctx.oidc.session)) return;
    // The provider's session is deleted only once what the request holds is written (request-scope.ts); the
    // back-channel notices below read the account's sessions from the database.
    await flushHeld();
    const token = ctx.cookies.get(app.cookies.session);
    const session = await app.sessions.resume(token);
    const continueTo = ctx.response.get('location');
    // A logout through OIDC ends the other protocols' sessions too: the browser visits them before it goes on.
    const walk = await endInBrowser(app, token, session, continueTo);
    ctx.cookies.set(app.cookies.session, null, {
      ...cookieOptions(app.config.production),
      secure: app.config.production,
    });
    if (walk) ctx.redirect(walk);
  });
}

/** oidc-provider marks its session `destroyed` once a confirmed logout has deleted it (Session#destroy). */
const endedByProvider = (session: object): boolean => (session as { destroyed?: unknown }).destroyed === true;
