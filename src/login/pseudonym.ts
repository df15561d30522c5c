import { createHmac } from 'node:crypto';
import { secretKeyOf } from '../platform/crypto/tokens.ts';

/**
 * Per-service pseudonym (DESIGN.md §4): base64url(HMAC-SHA256(secret,
 * sector + "|" + accountId)), 43 characters. The same value is the OIDC
 * pairwise `sub` and the BundID bPK2, so a service moving from SAML to OIDC
 * keeps its citizens.
 */
export function pseudonym(secret: string, sector: string, accountId: string): string {
  return createHmac('sha256', secretKeyOf(secret)).update(`${sector}|${accountId}`).digest('base64url');
}
