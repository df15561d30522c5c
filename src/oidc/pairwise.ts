import { sectorOfHost } from '../services/sector.ts';

// One pseudonym for both protocols (login/pseudonym.ts).
export { pseudonym } from '../login/pseudonym.ts';

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
