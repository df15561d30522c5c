import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { hmac, randomToken, safeEqual } from '../crypto/tokens.ts';
import { cookieOptions } from './cookies.ts';
import { AppError } from './errors.ts';

/**
 * CSRF protection for every form (OWASP CSRF Cheat Sheet, "signed double
 * submit cookie"): the browser holds a random cookie, each form carries
 * HMAC(installation key, cookie). A cross-site page can neither read the
 * cookie nor compute the HMAC.
 *
 * Each form gets the HMAC masked with fresh random bytes (pad, pad XOR HMAC):
 * the token differs on every response, so a compressed page's length cannot
 * reveal it byte by byte (BREACH; see platform/http/compression.ts).
 */
export function createCsrf(key: string, cookieName: string, production: boolean) {
  function ensureCookie(request: FastifyRequest, reply: FastifyReply): string {
    let value = request.cookies[cookieName];
    if (!value || value.length !== 43) {
      value = randomToken();
      request.cookies[cookieName] = value;
      reply.setCookie(cookieName, value, cookieOptions(production));
    }
    return value;
  }
  return {
    token(request: FastifyRequest, reply: FastifyReply): string {
      const mac = Buffer.from(hmac(key, `csrf|${ensureCookie(request, reply)}`), 'base64url');
      const pad = randomBytes(mac.length);
      return Buffer.concat([pad, xor(pad, mac)]).toString('base64url');
    },
    verify(request: FastifyRequest, submitted: string | undefined): void {
      const cookie = request.cookies[cookieName];
      const mac = submitted === undefined ? undefined : unmask(submitted);
      if (!cookie || !mac || !safeEqual(mac, hmac(key, `csrf|${cookie}`))) throw new AppError('csrf_invalid');
    },
  };
}

const macBytes = 32;

function xor(a: Buffer, b: Buffer): Buffer {
  return Buffer.from(a.map((byte, i) => byte ^ (b[i] ?? 0)));
}

/** The HMAC inside a masked token (base64url), or undefined when the token has not the shape of one. */
function unmask(token: string): string | undefined {
  if (!/^[\w-]+$/.test(token)) return undefined;
  const bytes = Buffer.from(token, 'base64url');
  if (bytes.length !== 2 * macBytes) return undefined;
  return xor(bytes.subarray(0, macBytes), bytes.subarray(macBytes)).toString('base64url');
}

export type Csrf = ReturnType<typeof createCsrf>;
