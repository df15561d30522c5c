import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { negotiateEncoding, varyOnEncoding } from '../platform/http/compression.ts';
import { assets, encodedBody, pageStyles } from './assets/catalogue.ts';

/** A year, the longest lifetime RFC 9111 caches need honour; the name changes when the content does. */
const immutable = 'public, max-age=31536000, immutable';
/** Plain names (bookmarked, or linked from a cached older page) stay valid, but a new version shows within an hour. */
const short = 'public, max-age=3600';

/**
 * Our stylesheet, scripts, icon and fonts (web/assets/catalogue.ts): under
 * their hashed names cached for a year, under their plain names for an hour;
 * text compressed as the browser accepts. The whole KERN UX and WebAuthn
 * packages stay reachable at their old addresses, for pages cached before.
 */
export async function staticAssets(fastify: FastifyInstance): Promise<void> {
  // Built now rather than on the first citizen's request.
  pageStyles();
  fastify.get<{ Params: { file: string } }>('/static/:file', async (request, reply) => {
    const asset = assets().get(request.params.file);
    if (!asset) return reply.callNotFound();
    const hashed = request.params.file === asset.hashedName;
    const encoding = asset.compressible ? negotiateEncoding(request.headers['accept-encoding']) : 'identity';
    // One validator per encoded representation (RFC 9110 § 8.8.3).
    const etag = `"${asset.hash.slice(0, 32)}${encoding === 'identity' ? '' : `-${encoding}`}"`;
    reply
      .header('cache-control', hashed ? immutable : short)
      .header('etag', etag)
      .type(asset.contentType);
    if (asset.compressible) varyOnEncoding(reply);
    if (request.headers['if-none-match'] === etag) return reply.code(304).send();
    if (encoding !== 'identity') reply.header('content-encoding', encoding);
    return reply.send(await encodedBody(asset, encoding));
  });
  await fastify.register(fastifyStatic, {
    root: fileURLToPath(new URL('../../node_modules/@kern-ux/native/dist/', import.meta.url)),
    prefix: '/static/kern/',
    decorateReply: false,
    maxAge: 3600 * 1000,
  });
  await fastify.register(fastifyStatic, {
    root: fileURLToPath(new URL('../../node_modules/@simplewebauthn/browser/dist/bundle/', import.meta.url)),
    prefix: '/static/vendor/simplewebauthn/',
    decorateReply: false,
    maxAge: 3600 * 1000,
  });
}
