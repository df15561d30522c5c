import type { FastifyServerOptions } from 'fastify';
import type { Config } from '../config/schema.ts';

// Query parameters that carry secrets or personal data: never written to a log (DESIGN.md §7).
const sensitiveParameters =
  /([?&](?:token|code|id_token_hint|login_hint|refresh_token|client_secret|state|nonce)=)[^&#]*/gi;

export function redactUrl(url: string): string {
  return url.replace(sensitiveParameters, '$1[redacted]');
}

/** Structured JSON logs (pino) without cookies, authorization headers or link tokens. */
export function loggerOptions(config: Pick<Config, 'logLevel'>): FastifyServerOptions['logger'] {
  if (config.logLevel === 'silent') return false;
  return {
    level: config.logLevel,
    serializers: {
      req: (request: { method: string; url: string; ip?: string }) => ({
        method: request.method,
        url: redactUrl(request.url),
        remoteAddress: request.ip,
      }),
    },
  };
}
