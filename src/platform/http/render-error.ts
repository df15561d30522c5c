import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { html } from '../../web/html.ts';
import { alert } from '../../web/components.ts';
import { pageContext, plainPageContext, sendPage } from '../../web/page.ts';
import { AppError, errorCatalogue, toAppError } from './errors.ts';
import { negotiateLanguage, translator, type Language } from '../../text/index.ts';
import { formatWait } from '../../web/formats.ts';
import { layout } from '../../web/layout.ts';
import { securityHeaders } from './security-headers.ts';

/** A wait in `seconds` (rate limits, busy) also as words for the message: "1 Sekunde", "60 Minuten". */
function withWait(params: AppError['params'], lang: Language): AppError['params'] {
  return typeof params.seconds === 'number' ? { ...params, wait: formatWait(params.seconds, lang) } : params;
}

/** Renders every error once (STYLE.md habit 4): the catalogue message in the citizen's language, never a stack. */
export function installErrorHandling(fastify: FastifyInstance, app: AppContext): void {
  const render = (error: AppError, request: FastifyRequest, reply: FastifyReply) => {
    reply.headers(error.headers);
    const wantsJson =
      !(request.headers.accept ?? '').includes('text/html') &&
      (request.headers.accept ?? '').includes('application/json');
    const lang =
      request.lang ?? negotiateLanguage(request.cookies?.[app.cookies.lang], request.headers['accept-language']);
    request.lang = lang;
    const message = translator(lang)(errorCatalogue[error.code].message, withWait(error.params, lang));
    if (wantsJson) return reply.code(error.status).send({ error: error.code, message });
    const p = pageContext(app, request, reply);
    const body = html`<h1 class="kern-heading-large">${p.t('error.title')}</h1>
${alert('danger', message)}
<p class="kern-body">${p.t('error.code')}: <code>${error.code}</code></p>
${error.code === 'session_expired' ? html`<p class="kern-body"><a class="kern-link" href="/login?return=/account">${p.t('nav.login')}</a></p>` : ''}
<p class="kern-body"><a class="kern-link" href="/">${p.t('error.toHome')}</a></p>`;
    return sendPage(reply, p, p.t('error.title'), body, error.status);
  };

  fastify.setErrorHandler((error: FastifyError, request, reply) => {
    const appError = toAppError(error);
    // Name, code and stack only: a database error's detail can quote personal data (DESIGN.md §7).
    if (appError.status >= 500)
      request.log.error(
        { err: { name: error.name, code: error.code, message: error.message, stack: error.stack } },
        'request failed',
      );
    return render(appError, request, reply);
  });
  fastify.setNotFoundHandler((request, reply) => render(new AppError('not_found'), request, reply));
}

/**
 * Fastify's router refuses some requests before any hook runs: a broken
 * percent-encoding in the path (400) and a path parameter over the length
 * limit (414). They get the same error page as everything else, in the
 * language the browser asks for, instead of Fastify's JSON echoing the path.
 */
export function frameworkErrorPage(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  void plainErrorPage(new AppError('bad_request'), request, reply, error.statusCode === 414 ? 414 : 400);
}

/**
 * The error page for requests answered before the request hooks ran (no
 * cookies, no session, no CSRF token): the browser's language, no links
 * that need a session.
 */
export function plainErrorPage(
  appError: AppError,
  request: FastifyRequest,
  reply: FastifyReply,
  status = appError.status,
): FastifyReply {
  return reply
    .code(status)
    .headers(securityHeaders)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(plainErrorDocument(appError, request.headers['accept-language']));
}

/** The document of plainErrorPage, also for answers Fastify does not send (oidc-provider's own Koa app). */
export function plainErrorDocument(appError: AppError, acceptLanguage: string | undefined): string {
  const p = plainPageContext(acceptLanguage);
  const { t } = p;
  const body = html`<h1 class="kern-heading-large">${t('error.title')}</h1>
${alert('danger', t(errorCatalogue[appError.code].message))}
<p class="kern-body">${t('error.code')}: <code>${appError.code}</code></p>
<p class="kern-body"><a class="kern-link" href="/">${t('error.toHome')}</a></p>`;
  return layout(p, t('error.title'), body).value;
}
