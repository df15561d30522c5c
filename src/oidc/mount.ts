import type { FastifyInstance } from 'fastify';
import type Provider from 'oidc-provider';
import { oidcRoutes } from './provider.ts';

/**
 * Mounts oidc-provider in Fastify. The provider reads request bodies itself,
 * so its requests are handed over in onRequest, before any Fastify body
 * parser runs (DESIGN.md §5: no body parser on its mount).
 */
export function mountProvider(fastify: FastifyInstance, provider: Provider, publicUrl: string): void {
  const callback = provider.callback();
  const { host, protocol } = new URL(publicUrl);
  // Endpoint URLs in discovery and redirects come from PUBLIC_URL, never from
  // the client's Host header (no host-header injection into metadata).
  provider.proxy = true;
  const prefixes = [...new Set(Object.values(oidcRoutes).map((route) => `/${route.split('/')[1]}/`))];
  fastify.addHook('onRequest', async (request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    if (path !== '/.well-known/openid-configuration' && !prefixes.some((prefix) => path.startsWith(prefix))) return;
    request.raw.headers['x-forwarded-host'] = host;
    request.raw.headers['x-forwarded-proto'] = protocol.replace(':', '');
    delete request.raw.headers['x-forwarded-port'];
    reply.hijack();
    await callback(request.raw, reply.raw);
  });
}
