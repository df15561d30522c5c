import { createHmac } from 'node:crypto';
import { sectorOfHost } from '../services/sector.ts';

/**
 * Per-service pseudonym (DESIGN.md §4): base64url(HMAC-SHA256(secret,
 * sector + "|" + accountId)), 43 characters. The same value is the OIDC
 * pairwise `sub` and the BundID bPK2, so a service moving from SAML to OIDC
 * keeps its citizens.
 */
/**
 * The sector of an OIDC client (DESIGN.md §4, the same rule as SAML): the
 * host of its redirect URIs (oidc-provider's `sectorIdentifier`) without
 * the port. Clients registered while the port still counted keep that
 * sector, pinned as `pseudonym_sector` by migration 0009, so their
 * citizens' subjects do not change.
 */
export function sectorOfClient(client: { sectorIdentifier?: string | undefined; clientId: string }): string {
  // oidc-provider keeps extra metadata under its own (snake case) name.
  const pinned = (client as { pseudonym_sector?: unknown }).pseudonym_sector;
  if (typeof pinned === 'string' && pinned !== '') return pinned;
  return sectorOfHost(client.sectorIdentifier ?? client.clientId);
}

export function pseudonym(secret: string, sector: string, accountId: string): string {
  return createHmac('sha256', secret).update(`${sector}|${accountId}`).digest('base64url');
}
