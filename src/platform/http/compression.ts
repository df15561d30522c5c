import { promisify } from 'node:util';
import { brotliCompress, brotliCompressSync, constants, gzip, gzipSync } from 'node:zlib';
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
 * Up to this size a page is compressed at once, on the event loop (about 0.1 ms): the thread pool's hand-over and
 * a stream per page cost more CPU than that. Pages link their styles once the browser has them (web/page-styles.ts),
 * so most are far below it; a browser's first page, with the styles inline, goes to the pool.
 */
const synchronousBytes = 32 * 1024;

/**
 * Brotli with a window no larger than the page (RFC 7932 §9.1: the window need not exceed the content): the encoder
 * then sets up kilobytes of state, not the 4 MB of its default window.
 *
 * Quality 4 for the pages made per request, 5 for a browser's first page (styles inline, on the pool). Measured on
 * this project's pages (issue 16): the login page (4.3 KB) 0.25 ms at 5, 0.14 ms at 4, 91 bytes more; a SAML
 * answer's form (14 KB, mostly base64) 0.40 ms at 5, 0.19 ms at 4, 141 bytes more (1.5 %), where that time was a
 * tenth of a single sign-on's work besides its two signatures. A first page (98 KB) is 12 % larger at 4: it is
 * what a phone on a slow network waits for before anything shows, once per browser.
 */
function brotliParams(size: number): Record<number, number> {
  return {
    [constants.BROTLI_PARAM_QUALITY]: size <= synchronousBytes ? 4 : 5,
    [constants.BROTLI_PARAM_LGWIN]: Math.min(
      constants.BROTLI_DEFAULT_WINDOW,
      Math.max(constants.BROTLI_MIN_WINDOW_BITS, Math.ceil(Math.log2(size))),
    ),
    [constants.BROTLI_PARAM_SIZE_HINT]: size,
  };
}

function compress(payload: string | Buffer, encoding: 'br' | 'gzip'): Buffer | Promise<Buffer> {
  const size = Buffer.byteLength(payload);
  if (size <= synchronousBytes)
    return encoding === 'br'
      ? brotliCompressSync(payload, { params: brotliParams(size) })
      : gzipSync(payload, { level: 6 });
  return encoding === 'br' ? brotli(payload, { params: brotliParams(size) }) : gzipAsync(payload, { level: 6 });
}

/**
 * Pages (HTML) compressed per response with brotli or gzip, as negotiated.
 * Brotli at quality 4 or 5 (brotliParams) compresses a page about as well as
 * gzip -9 in a fraction of the time of its maximum, which suits content made
 * per request.
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
    const body = await compress(payload, encoding);
    reply.header('content-encoding', encoding);
    reply.removeHeader('content-length');
    return body;
  });
}
