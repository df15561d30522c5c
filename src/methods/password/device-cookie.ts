import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../../platform/clock.ts';
import { cookieOptions, type CookieNames } from '../../platform/http/cookies.ts';
import { hmac, randomToken, safeEqual } from '../../platform/crypto/tokens.ts';
import type { AttemptContext } from '../method.ts';

/** How long a device cookie stays valid; a login renews it. */
export const deviceCookieSeconds = 180 * 24 * 3600;

/**
 * Device cookies (OWASP "Slow Down Online Guessing Attacks with Device
 * Cookies"): a successful login gives the browser a cookie naming the account,
 * signed with an installation key. Presented at a later login to the same
 * account, it gives that browser a budget of its own, so a flood of wrong
 * passwords from elsewhere never keeps the owner out (issue 13 §3).
 * Format: `<account id>.<nonce>.<issued, seconds>.<HMAC-SHA256 of the rest>`.
 */
export function deviceCookies(key: string, clock: Clock) {
  const sign = (body: string) => hmac(key, `device:${body}`);
  return {
    issue(accountId: string): string {
      const body = `${accountId}.${randomToken(16)}.${Math.floor(clock.now().getTime() / 1000)}`;
      return `${body}.${sign(body)}`;
    },
    /** The device's id (its nonce) when `value` is a valid, unexpired cookie for this account. */
    deviceOf(value: string | undefined, accountId: string): string | undefined {
      if (!value || value.length > 200) return undefined;
      const parts = value.split('.');
      if (parts.length !== 4) return undefined;
      const [account, nonce, issued, mac] = parts as [string, string, string, string];
      if (!safeEqual(mac, sign(`${account}.${nonce}.${issued}`)) || account !== accountId) return undefined;
      const age = clock.now().getTime() / 1000 - Number(issued);
      return age >= 0 && age <= deviceCookieSeconds ? nonce : undefined;
    },
  };
}

export type DeviceCookies = ReturnType<typeof deviceCookies>;

/** Who is logging in, from a login request: the address and the browser's device cookie, which a success renews. */
export function loginAttempt(
  request: FastifyRequest,
  reply: FastifyReply,
  names: CookieNames,
  production: boolean,
): AttemptContext {
  return {
    ip: request.ip,
    device: request.cookies[names.device],
    rememberDevice: (value) =>
      void reply.setCookie(names.device, value, cookieOptions(production, deviceCookieSeconds)),
  };
}
