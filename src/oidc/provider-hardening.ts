import type Provider from 'oidc-provider';
import type { FastifyBaseLogger } from 'fastify';
import { hstsHeader, securityHeaders } from '../platform/http/security-headers.ts';

/**
 * What the provider's own responses need from us: the security headers
 * (Fastify's hooks do not run on the hijacked replies) and logs of its
 * server errors and failed back-channel calls, without personal data.
 */
export function hardenProvider(provider: Provider, production: boolean, log: FastifyBaseLogger): void {
  provider.use(async (ctx, next) => {
    // Set before the response is rendered: oidc-provider adds the hash of its
    // one inline script (the form_post auto-submit) to this CSP.
    ctx.set(securityHeaders);
    if (production) ctx.set('strict-transport-security', hstsHeader);
    await next();
  });
  provider.on('server_error', (_ctx, error) =>
    log.error({ err: { name: error.name, message: error.message, stack: error.stack } }, 'oidc-provider server error'),
  );
  provider.on('backchannel.error', (_ctx, error, client) =>
    log.warn({ client: client.clientId, err: error.message }, 'back-channel logout failed'),
  );
}
