import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from '../../config/schema.ts';
import { loggerOptions } from '../log.ts';
import { capConnectionsPerAddress, serverTimeouts } from './connection-limits.ts';
import { frameworkErrorPage } from './render-error.ts';

/** The Fastify instance with the limits every request meets before a route sees it. */
export function createHttpServer(config: Config): FastifyInstance {
  const fastify = Fastify({
    logger: loggerOptions(config),
    // A hop count as a function (Fastify counts hops the same way; its types only take this form).
    trustProxy:
      typeof config.trustProxy === 'number'
        ? (
            (hops: number) => (_address: string, hop: number) =>
              hop < hops
          )(config.trustProxy)
        : config.trustProxy,
    // No form of ours is larger; bigger bodies are refused before parsing (413).
    bodyLimit: 64 * 1024,
    // A limit on route parameters keeps malformed requests at 4xx.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    frameworkErrors: frameworkErrorPage,
    // Slow clients are cut off (issue 13 §11).
    ...serverTimeouts(config.connections),
  });
  capConnectionsPerAddress(fastify.server, config.connections.maxPerAddress);
  return fastify;
}
