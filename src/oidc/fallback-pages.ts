import type { FastifyBaseLogger } from 'fastify';
import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';
import { AppError, toAppError } from '../platform/http/errors.ts';
import { plainErrorDocument } from '../platform/http/render-error.ts';
import { ourFormPostPage } from './form-post-page.ts';
import { languageOfUiLocales } from './ui-locales.ts';
import { securityHeaders } from '../platform/http/security-headers.ts';

type Middleware = Provider['middleware'][number];

/**
 * What oidc-provider leaves to Koa's defaults gets our error page (STYLE.md
 * habit 4: render once, never a stack or text/plain for a browser):
 * - a path under its mount it has no route for (Koa: 404 "Not Found");
 * - an error that escapes its own error handling (Koa: 500 "Internal Server
 *   Error"). On the resume route (GET /oidc/auth/:uid) oidc-provider 9's
 *   authorization error handler throws itself when the resume failed before
 *   the request's parameters were restored (a stale, forged or foreign
 *   sk_oidc_resume cookie, a client with one redirect URI): that resume
 *   cannot go on, as with no cookie at all (mount.ts), so it is the
 *   "expired" page. Errors thrown while the provider saves its session
 *   (after its error handling) are rendered by their status: a NUL the
 *   database refused is a 400 (platform/db/errors.ts);
 * - its own auto-submitting form post page (form-post-page.ts).
 * Added first, so that it wraps the other middleware of the provider too.
 */
export function answerProviderFallbacks(provider: Provider, log: FastifyBaseLogger): void {
  const fallback: Middleware = async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      if (ctx.headerSent) throw error;
      const appError = escapedError(ctx as KoaContextWithOIDC, error);
      if (appError.code === 'internal')
        log.error(
          { err: { name: (error as Error).name, message: (error as Error).message, stack: (error as Error).stack } },
          'oidc-provider request failed outside its error handling',
        );
      else
        log.warn(
          { code: appError.code, err: (error as Error).message },
          'oidc-provider request refused outside its error handling',
        );
      render(ctx, appError);
      return;
    }
    // Koa's default: no route answered, nothing was sent.
    if (ctx.status === 404 && ctx.body == null) {
      render(ctx, new AppError('not_found'));
      return;
    }
    // The provider's own form post page (form-post-page.ts), in the language a service asked for (ui_locales) if any.
    const language = languageOfUiLocales(ctx.oidc?.params?.ui_locales) ?? ctx.get('accept-language');
    const ours =
      typeof ctx.body === 'string' && ctx.response.is('html') ? ourFormPostPage(ctx.body, language) : undefined;
    if (ours !== undefined) {
      // Our CSP without the hash of the provider's inline script, which is gone.
      ctx.set(securityHeaders);
      ctx.body = ours;
    }
  };
  provider.middleware.unshift(fallback);
}

function escapedError(ctx: KoaContextWithOIDC, error: unknown): AppError {
  const oidc = Object.hasOwn(ctx, 'oidc') ? ctx.oidc : undefined;
  if (oidc?.route === 'resume' && oidc.params === undefined) return new AppError('interaction_expired');
  return toAppError(error);
}

function render(ctx: Parameters<Middleware>[0], appError: AppError): void {
  // Headers already set stay (provider-hardening.ts: HSTS; a cookie the provider cleared).
  ctx.set(securityHeaders);
  ctx.set('cache-control', 'no-store');
  ctx.status = appError.status;
  ctx.type = 'html';
  ctx.body = plainErrorDocument(appError, ctx.get('accept-language'));
}
