import type { FastifyInstance } from 'fastify';
import type Provider from 'oidc-provider';
import { AppError } from '../platform/http/errors.ts';
import { plainErrorPage } from '../platform/http/render-error.ts';
import { answerProviderFallbacks } from './fallback-pages.ts';
import { oidcRoutes } from './provider.ts';

/**
 * Mounts oidc-provider in Fastify. The provider reads request bodies itself,
 * so its requests are handed over in onRequest, before any Fastify body
 * parser runs (DESIGN.md §5: no body parser on its mount).
 */
export function mountProvider(
  fastify: FastifyInstance,
  provider: Provider,
  publicUrl: string,
  resumeCookie = 'sk_oidc_resume',
): void {
  answerProviderFallbacks(provider, fastify.log);
  const callback = provider.callback();
  const { host, protocol } = new URL(publicUrl);
  // Endpoint URLs in discovery and redirects come from PUBLIC_URL, never from
  // the client's Host header (no host-header injection into metadata).
  provider.proxy = true;
  const prefixes = [...new Set(Object.values(oidcRoutes).map((route) => `/${route.split('/')[1]}/`))];
  fastify.addHook('onRequest', async (request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    if (path !== '/.well-known/openid-configuration' && !prefixes.some((prefix) => path.startsWith(prefix))) return;
    // The resume of an interaction without its cookie (a stale or forged link): oidc-provider 9 answers
    // that with a 500 (its error handler reads parameters the resume route never set), so it ends here.
    if (/^\/oidc\/auth\/[^/]+$/.test(path) && !(request.headers.cookie ?? '').includes(`${resumeCookie}=`))
      return plainErrorPage(new AppError('interaction_expired'), request, reply);
    // PostgreSQL text and jsonb cannot hold NUL, and oidc-provider stores parameters (state, nonce) in
    // its records: a query with one (%00 in the raw query, whatever parser reads it) is refused before
    // it gets there. Bodies the provider reads itself; its adapter refuses them (adapter.ts).
    if (request.url.slice(path.length).includes('%00'))
      return plainErrorPage(new AppError('bad_request'), request, reply);
    request.raw.headers['x-forwarded-host'] = host;
    request.raw.headers['x-forwarded-proto'] = protocol.replace(':', '');
    delete request.raw.headers['x-forwarded-port'];
    reply.hijack();
    await callback(request.raw, reply.raw);
  });
}
