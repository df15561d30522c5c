import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import type { SsoSession } from '../../session/sso-session-repository.ts';
import { negotiateLanguage, type Language } from '../../text/index.ts';

declare module 'fastify' {
  interface FastifyRequest {
    lang: Language;
    sso: SsoSession | undefined;
  }
}

/** Per request: the language and the SSO session, if any (static files skip the lookup). */
export function installRequestState(fastify: FastifyInstance, app: AppContext): void {
  fastify.decorateRequest('lang', 'de');
  fastify.decorateRequest('sso', undefined);
  fastify.addHook('preHandler', async (request) => {
    request.lang = negotiateLanguage(
      request.cookies[app.cookies.lang],
      request.headers['accept-language'],
      request.cookies[app.cookies.interactionLang],
    );
    if (request.url.startsWith('/static/')) return;
    request.sso = await app.sessions.resume(request.cookies[app.cookies.session]);
  });
}
