import { createHash } from 'node:crypto';
import { encryptsAssertions } from '../response/encryption-policy.ts';
import { isDeepStrictEqual } from 'node:util';
import type { AuditLog } from '../../audit/audit-log.ts';
import type { Config } from '../../config/schema.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Database } from '../../platform/db/database.ts';
import { serviceRepository, type SamlServiceConfig } from '../../services/service-repository.ts';
import { fetchMetadata } from './fetch.ts';
import { loadSpMetadata } from './sp-load.ts';
import { sectorOfUrl } from '../../services/sector.ts';

/** Our own metadata's cacheDuration (PT6H): a service's is fetched at least as often. */
const refreshIntervalMs = 6 * 3600 * 1000;
/** A service's cacheDuration may ask for more; never more often than this. */
const shortestIntervalMs = 10 * 60 * 1000;
/** After a failure the old metadata stays in use; the next try comes sooner than the regular one. */
const retryAfterFailureMs = 3600 * 1000;

/**
 * What comes from the metadata; everything else in the configuration is the operator's choice (`sp add`) and is kept.
 */
const metadataFields = [
  'acs',
  'singleLogout',
  'signingCertificates',
  'encryptionCertificates',
  'encryptionMethods',
  'authnRequestsSigned',
  'nameIdFormats',
  'metadataAttributes',
] as const;

export interface RefreshContext {
  db: Database;
  clock: Clock;
  config: Pick<Config, 'production' | 'samlMetadataAllowedHosts'>;
  audit: AuditLog;
  /** Who the audit log names: `system` for the scheduled refresh, `cli` for `sp refresh`. */
  actor?: string;
}

export type RefreshResult =
  | { outcome: 'updated'; changed: string[]; warnings: string[]; refreshInMs: number }
  | { outcome: 'unchanged'; warnings: string[]; refreshInMs: number }
  | { outcome: 'failed'; problem: string; detail?: string; refreshInMs: number }
  /** Not (or no longer) a SAML service registered from a URL: nothing to refresh. */
  | { outcome: 'not_from_url' };

/**
 * Equal as stored: jsonb drops undefined members (an absent field is null) and reorders keys, so compare the JSON
 * values, not their text.
 */
const asStored = (value: unknown): unknown => (value === undefined ? null : JSON.parse(JSON.stringify(value)));
const sameJson = (a: unknown, b: unknown) => isDeepStrictEqual(asStored(a), asStored(b));

const fingerprint = (base64: string) => createHash('sha256').update(Buffer.from(base64, 'base64')).digest('hex');

/**
 * cacheDuration is the longest a consumer may cache (saml-metadata §2.3.2):
 * fetch again after it or after our own 6 hours, whichever comes first, and
 * before validUntil; but not more often than every 10 minutes.
 */
function nextRefreshMs(now: Date, cacheDurationMs: number | undefined, validUntil: Date | undefined): number {
  const untilExpiry = validUntil ? validUntil.getTime() - now.getTime() : Infinity;
  return Math.max(shortestIntervalMs, Math.min(refreshIntervalMs, cacheDurationMs ?? Infinity, untilExpiry));
}

/**
 * Fetches a service provider's metadata again from the URL it was registered
 * from (issue: SAML, deliverable 2) and takes over what the metadata decides:
 * endpoints, keys, algorithms, signed requests, NameID formats. The
 * operator's choices stay. Whatever goes wrong, the previous metadata stays
 * in use, and the failure is audited.
 */
export async function refreshServiceProviderMetadata(app: RefreshContext, serviceId: string): Promise<RefreshResult> {
  const service = await serviceRepository(app.db).samlById(serviceId);
  const url = service?.config.metadataUrl;
  if (!service || !url) return { outcome: 'not_from_url' };
  const now = app.clock.now();
  const subject = `service:${service.id}`;
  const actor = app.actor ?? 'system';
  const fail = async (problem: string, detail?: string): Promise<RefreshResult> => {
    await app.audit.record(app.db, {
      actor,
      action: 'service.metadata_refreshed',
      subject,
      outcome: 'failure',
      details: { problem, ...(detail ? { detail: detail.slice(0, 200) } : {}) },
    });
    return { outcome: 'failed', problem, ...(detail ? { detail } : {}), refreshInMs: retryAfterFailureMs };
  };

  let xml: string;
  try {
    xml = await fetchMetadata(url, app.config);
  } catch (error) {
    // One message for every network failure (fetch.ts): the detail must not tell open ports from closed ones.
    return fail('fetch_failed', (error as Error).message);
  }
  const loaded = await loadSpMetadata(xml, { production: app.config.production, now });
  if (!loaded.ok) return fail(loaded.problem, loaded.detail);
  const { metadata } = loaded;
  // The entityID is the service's id and its host the pseudonym sector (PROFILES.md §1): a document for another entity
  // is never taken over.
  if (metadata.entityId !== service.id) return fail('entity_id_changed', metadata.entityId);
  // The sector is the ACS host (sp add): metadata that moves the ACS to another host is the operator's to register
  // again (DESIGN.md §4).
  const sector = service.config.sectorSource === 'acs' ? service.config.sector : undefined;
  const foreign = sector === undefined ? undefined : metadata.acs.find((a) => sectorOfUrl(a.url) !== sector);
  if (foreign) return fail('acs_host_not_sector', foreign.url);
  // Metadata that drops the key of a service whose assertions are encrypted would silently send them in clear, so it is
  // refused.
  // A service registered without a key (stock OneLogin, SimpleSAMLphp) stays unencrypted until its metadata brings one.
  if (encryptsAssertions(service.config) && metadata.encryptionCertificates.length === 0)
    return fail('no_encryption_key');
  const refreshInMs = nextRefreshMs(now, loaded.cacheDurationMs, loaded.validUntil);

  return app.db.transaction(async (tx): Promise<RefreshResult> => {
    // The row lock orders this write after a concurrent `sp add`, which wins: it is read again below.
    const services = serviceRepository(tx);
    await services.lockSaml(service.id);
    const current = await services.samlById(service.id);
    if (!current || current.config.metadataUrl !== url) return { outcome: 'not_from_url' };
    // The display name stays the operator's, whatever the Organization element says now.
    const { entityId: _entityId, organizationName: _organizationName, ...fromMetadata } = metadata;
    const updated: SamlServiceConfig = { ...current.config, ...fromMetadata };
    const changed = metadataFields.filter((field) => !sameJson(current.config[field], updated[field]));
    if (changed.length === 0) return { outcome: 'unchanged', warnings: loaded.warnings, refreshInMs };

    await services.upsertSaml(updated, current.displayName, current.operator ?? undefined, current.minLevel);
    const removed = current.config.signingCertificates.filter((c) => !updated.signingCertificates.includes(c));
    const added = updated.signingCertificates.filter((c) => !current.config.signingCertificates.includes(c));
    // Each removed key on its own: what it signed before can be traced to it.
    for (const certificate of removed) {
      await app.audit.record(tx, {
        actor,
        action: 'service.signing_key_removed',
        subject,
        outcome: 'success',
        details: { sha256: fingerprint(certificate) },
      });
    }
    await app.audit.record(tx, {
      actor,
      action: 'service.metadata_refreshed',
      subject,
      outcome: 'success',
      details: { changed: changed.join(' '), signingKeysAdded: added.length, signingKeysRemoved: removed.length },
    });
    return { outcome: 'updated', changed, warnings: loaded.warnings, refreshInMs };
  });
}
