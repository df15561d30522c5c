import type { FastifyReply, FastifyRequest } from 'fastify';
import { hmac, randomToken, safeEqual } from '../crypto/tokens.ts';
import { cookieOptions } from './cookies.ts';
import { AppError } from './errors.ts';

/**
 * CSRF protection for every form (OWASP CSRF Cheat Sheet, "signed double
 * submit cookie"): the browser holds a random cookie, each form carries
 * HMAC(installation key, cookie). A cross-site page can neither read the
 * cookie nor compute the HMAC.
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
      return hmac(key, `csrf|${ensureCookie(request, reply)}`);
    },
    verify(request: FastifyRequest, submitted: string | undefined): void {
      const cookie = request.cookies[cookieName];
      if (!cookie || !submitted || !safeEqual(submitted, hmac(key, `csrf|${cookie}`)))
        throw new AppError('csrf_invalid');
    },
  };
}

export type Csrf = ReturnType<typeof createCsrf>;
