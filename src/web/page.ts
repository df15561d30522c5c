import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import { negotiateLanguage, translator } from '../text/index.ts';
import type { SafeHtml } from './html.ts';
import { layout, type PageContext } from './layout.ts';
import { styleDelivery } from './page-styles.ts';
import { siteLook } from './site-look.ts';

/**
 * The address of the page as a browser can load it again (the language switch returns there): this one; or, for
 * a form's answer at an address that is only posted to (POST /account/password shows its errors), the nearest
 * address above it that answers GET, never a 404.
 */
function pagePath(request: FastifyRequest): string {
  const path = request.url.slice(0, 500);
  if (request.method === 'GET' || request.method === 'HEAD') return path;
  const answersGet = (url: string) => request.server.hasRoute({ url, method: 'GET' });
  const pattern = request.routeOptions.url;
  if (pattern !== undefined && answersGet(pattern)) return path;
  const segments = (path.split('?')[0] ?? '').split('/').filter(Boolean);
  while (segments.length > 0) {
    segments.pop();
    const parent = `/${segments.join('/')}`;
    if (answersGet(parent)) return parent;
  }
  return '/';
}

/** The page context of a request: language, translator, CSRF token, login state. */
export function pageContext(app: AppContext, request: FastifyRequest, reply: FastifyReply): PageContext {
  return {
    lang: request.lang,
    t: translator(request.lang),
    path: pagePath(request),
    loggedIn: request.sso !== undefined,
    csrfToken: app.csrf.token(request, reply),
    site: siteLook(app.config.site),
    styles: styleDelivery(app, request, reply),
  };
}

/**
 * The page context of an answer made without a request's state (no session,
 * no CSRF token): pages sent before the request hooks ran, or by
 * oidc-provider's own Koa app. The browser's language; no links that need a session.
 */
export function plainPageContext(acceptLanguage: string | undefined): PageContext {
  const lang = negotiateLanguage(undefined, acceptLanguage);
  return { lang, t: translator(lang), path: '/', loggedIn: false, csrfToken: '' };
}

export function sendPage(
  reply: FastifyReply,
  page: PageContext,
  title: string,
  body: SafeHtml,
  status = 200,
): FastifyReply {
  // A form sent back with errors says so first in the title, which is read out on load (WCAG 3.3.1).
  const fullTitle = status === 400 ? `${page.t('form.errorTitle')}: ${title}` : title;
  return reply
    .code(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(layout(page, fullTitle, body).value);
}

/** Only our own pages are redirect targets after login or e-mail links (no open redirect). */
export function safeReturnTo(value: string | undefined): string | undefined {
  if (!value) return undefined;
  if (/^\/interaction\/[A-Za-z0-9_-]{1,64}$/.test(value)) return value;
  if (/^\/saml\/login\/s_[A-Za-z0-9_-]{1,64}$/.test(value)) return value;
  if (/^\/account(\/[a-z-]*)?$/.test(value)) return value;
  return undefined;
}
