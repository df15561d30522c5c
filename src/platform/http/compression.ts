import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { FastifyInstance, FastifyReply } from 'fastify';

export type ContentEncoding = 'br' | 'gzip' | 'identity';

/**
 * The encoding for a request's Accept-Encoding (RFC 9110 § 12.5.3): brotli
 * where the client takes it (smaller than gzip for text), else gzip, else none.
 * `q=0` refuses a coding, `*` stands for those not named; a client that names
 * none gets the content as it is.
 */
export function negotiateEncoding(acceptEncoding: string | undefined): ContentEncoding {
  if (!acceptEncoding) return 'identity';
  const weights = new Map<string, number>();
  for (const part of acceptEncoding.split(',')) {
    const [coding = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    if (!coding) continue;
    const q = params.find((p) => p.startsWith('q='));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    weights.set(coding, Number.isFinite(weight) ? weight : 0);
  }
  const weightOf = (coding: string) => weights.get(coding) ?? weights.get('*') ?? 0;
  const br = weightOf('br');
  const gz = Math.max(weightOf('gzip'), weights.get('x-gzip') ?? 0);
  if (br > 0 && br >= gz) return 'br';
  if (gz > 0) return 'gzip';
  return 'identity';
}

/** Adds Accept-Encoding to a reply's Vary header: caches keep one copy per encoding (RFC 9110 § 12.5.5). */
export function varyOnEncoding(reply: FastifyReply): void {
  const vary = reply.getHeader('vary');
  const current = Array.isArray(vary) ? vary.join(', ') : vary === undefined ? '' : String(vary);
  if (/(^|,)\s*(accept-encoding|\*)\s*(,|$)/i.test(current)) return;
  reply.header('vary', current ? `${current}, Accept-Encoding` : 'Accept-Encoding');
}

const noCompression = new WeakSet<FastifyReply>();

/**
 * For a page that shows a secret again on every load (an authenticator key
 * being set up): sent uncompressed, so that its length tells nothing (BREACH,
 * see installPageCompression).
 */
export function sendUncompressed(reply: FastifyReply): void {
  noCompression.add(reply);
}

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);
/** Below this a compressed page saves less than a packet. */
const minimumBytes = 1024;

/**
 * Pages (HTML) compressed per response with brotli or gzip, as negotiated.
 * Brotli at quality 5 compresses a page about as well as gzip -9 in a fraction
 * of the time of its maximum, which suits content made per request.
 *
 * BREACH (compression as a length oracle for a secret next to text an attacker
 * can reflect, such as the path shown in the language link): the CSRF token in
 * every form is masked with fresh random bytes on every response
 * (platform/http/csrf.ts), so it never repeats and cannot be guessed byte by
 * byte; session and other cookies travel in headers, which are not compressed;
 * a page that shows the same secret on each load opts out with
 * `sendUncompressed`. Static files hold no secrets.
 */
export function installPageCompression(fastify: FastifyInstance): void {
  fastify.addHook('onSend', async (request, reply, payload) => {
    const type = String(reply.getHeader('content-type') ?? '');
    if (!type.startsWith('text/html')) return payload;
    varyOnEncoding(reply);
    if (noCompression.has(reply) || reply.getHeader('content-encoding') !== undefined) return payload;
    if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload;
    if (Buffer.byteLength(payload) < minimumBytes) return payload;
    const encoding = negotiateEncoding(request.headers['accept-encoding']);
    if (encoding === 'identity') return payload;
    const body =
      encoding === 'br'
        ? await brotli(payload, { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } })
        : await gzipAsync(payload, { level: 6 });
    reply.header('content-encoding', encoding);
    reply.removeHeader('content-length');
    return body;
  });
}
