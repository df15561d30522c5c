-- Issue 13, point 17: the pseudonym sector is the service's host without a
-- port, for OIDC as for SAML (DESIGN.md §4). Until now an OIDC client's
-- sector was oidc-provider's `sectorIdentifier`, the host of its first
-- redirect URI with its port. Clients whose first redirect URI names a
-- port other than the scheme's default would get new subjects under the
-- new rule; their sector is pinned here, exactly as it was computed
-- (`new URL(uri).host`: host in lower case, ":" and the port), and
-- oidc/pairwise.ts uses it. Clients without a port are unchanged: their
-- sector was already the host alone. SAML services keep their entityID's
-- host unless registered again (saml/profile/sector.ts); nothing to do here.
UPDATE services
SET config = config || jsonb_build_object(
  'pseudonym_sector',
  lower(substring(config->'redirect_uris'->>0 from '^[A-Za-z][A-Za-z0-9+.-]*://(?:[^/?#@]*@)?((?:\[[^]/?#]*\]|[^/?#:@]*):[0-9]+)(?:[/?#]|$)')))
WHERE protocol = 'oidc'
  AND coalesce(config->>'subject_type', 'pairwise') = 'pairwise'
  AND NOT config ? 'pseudonym_sector'
  AND NOT config ? 'sector_identifier_uri'
  AND substring(config->'redirect_uris'->>0 from '^[A-Za-z][A-Za-z0-9+.-]*://(?:[^/?#@]*@)?(?:\[[^]/?#]*\]|[^/?#:@]*):([0-9]+)(?:[/?#]|$)') IS NOT NULL
  AND NOT (lower(config->'redirect_uris'->>0) LIKE 'https:%' AND substring(config->'redirect_uris'->>0 from '^[A-Za-z][A-Za-z0-9+.-]*://(?:[^/?#@]*@)?(?:\[[^]/?#]*\]|[^/?#:@]*):([0-9]+)(?:[/?#]|$)') = '443')
  AND NOT (lower(config->'redirect_uris'->>0) LIKE 'http:%' AND substring(config->'redirect_uris'->>0 from '^[A-Za-z][A-Za-z0-9+.-]*://(?:[^/?#@]*@)?(?:\[[^]/?#]*\]|[^/?#:@]*):([0-9]+)(?:[/?#]|$)') = '80');
