/**
 * The pseudonym sector of a SAML service: the host of its entityID
 * (PROFILES.md §1: "its host is the pseudonym sector, so it must never
 * change"), the same rule as the OIDC sector of its redirect URIs, so one
 * online service has one bPK2 over both protocols.
 */
export function sectorOf(entityId: string): string {
  try {
    return new URL(entityId).hostname;
  } catch {
    return entityId;
  }
}
