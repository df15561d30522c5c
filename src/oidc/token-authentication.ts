import type { AccessToken, ClientCredentials, KoaContextWithOIDC } from 'oidc-provider';
import type { Level } from '../session/limits.ts';
import { levelOfAcr } from './acr.ts';

/**
 * oidc-provider's `extraTokenClaims`: an access token remembers the `acr` and
 * `auth_time` of the login its grant came from. oidc-provider keeps them on
 * authorization codes and refresh tokens only, but userinfo needs the level
 * to cap `verified_claims` (DESIGN.md §3), and introspection reports them
 * (RFC 9470 §6.2). Taken from the code or refresh token being redeemed, never
 * from the browser session: a later step-up does not raise what earlier
 * tokens say, and a refresh keeps the level of the original login.
 */
export function loginOfGrantSource(
  ctx: KoaContextWithOIDC,
  token: AccessToken | ClientCredentials,
): { acr: string; auth_time?: number } | undefined {
  // Client credentials tokens have no login behind them.
  if (token.kind !== 'AccessToken') return undefined;
  const source = ctx.oidc.entities.AuthorizationCode ?? ctx.oidc.entities.RefreshToken;
  if (!source?.acr || source.accountId !== (token as AccessToken).accountId) return undefined;
  return { acr: source.acr, ...(source.authTime === undefined ? {} : { auth_time: source.authTime }) };
}

/**
 * The level of the login behind the token findAccount got: authorization
 * codes and refresh tokens carry `acr`, access tokens got it in `extra`
 * (loginOfGrantSource). Undefined when unknown, e.g. tokens issued before.
 */
export function levelOfToken(token: unknown): Level | undefined {
  if (!token || typeof token !== 'object') return undefined;
  const { acr, extra } = token as { acr?: unknown; extra?: { acr?: unknown } };
  if (typeof acr === 'string') return levelOfAcr(acr);
  return typeof extra?.acr === 'string' ? levelOfAcr(extra.acr) : undefined;
}
