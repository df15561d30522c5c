import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** Our stylesheet and scripts, KERN UX and the WebAuthn browser bundle, served from their packages. */
export async function staticAssets(fastify: FastifyInstance): Promise<void> {
  await fastify.register(fastifyStatic, {
    root: fileURLToPath(new URL('./static/', import.meta.url)),
    prefix: '/static/',
    decorateReply: false,
    maxAge: 3600 * 1000,
  });
  await fastify.register(fastifyStatic, {
    root: fileURLToPath(new URL('../../node_modules/@kern-ux/native/dist/', import.meta.url)),
    prefix: '/static/kern/',
    decorateReply: false,
    maxAge: 24 * 3600 * 1000,
  });
  await fastify.register(fastifyStatic, {
    root: fileURLToPath(new URL('../../node_modules/@simplewebauthn/browser/dist/bundle/', import.meta.url)),
    prefix: '/static/vendor/simplewebauthn/',
    decorateReply: false,
    maxAge: 24 * 3600 * 1000,
  });
}
