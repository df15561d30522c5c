import type { SamlServiceConfig } from '../../services/service-repository.ts';
import { sectorOfUrl } from '../../services/sector.ts';

/**
 * The pseudonym sector of a SAML service (DESIGN.md §4, one rule with
 * OIDC): the sector registered with it (`sp add`: the host of its ACS
 * URLs, or an operator's `--sector`). Services registered before the sector
 * was stored keep the host of their entityID, which their bPK2 was made
 * from (PROFILES.md §1: the sector must never change).
 */
export function sectorOf(entityId: string, config: Pick<SamlServiceConfig, 'sector'>): string {
  return config.sector ?? sectorOfUrl(entityId) ?? entityId;
}
