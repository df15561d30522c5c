import type { ChangeFeed } from '../platform/db/change-feed.ts';
import type { Queryable } from '../platform/db/database.ts';
import { rowCache } from '../platform/db/row-cache.ts';
import { serviceRepository, type SamlService, type Service, type ServiceRepository } from './service-repository.ts';

/** Enough for every service of a large installation; a lookup beyond it costs one query. */
const maxServices = 2_000;
/** Made-up client_ids and entityIDs remembered as unknown; their own bound (row-cache.ts). */
const maxUnknown = 1_000;

/**
 * The service repository over the database with the lookups every OIDC and
 * SAML request makes (a client by its client_id, a service provider by its
 * entityID) answered from memory until the change feed announces a change of
 * `services` (issue 16); the list too. Writes and locks go to the database
 * as before. Over a transaction use `serviceRepository(tx)`: a transaction must
 * read its own writes and hold its locks.
 */
export function cachedServiceRepository(db: Queryable, feed: ChangeFeed): ServiceRepository {
  const stored = serviceRepository(db);
  const cache = rowCache<Service>(feed, { topics: ['services'], maxEntries: maxServices, maxAbsent: maxUnknown });
  // A copy per caller, as a query gives: oidc-provider keeps parts of the metadata in its Client objects.
  const byId = async (id: string) => {
    const service = await cache.read(id, () => stored.byId(id));
    return service && structuredClone(service);
  };
  // The whole list, for the public pages that name the services (web/site-routes.ts).
  const all = rowCache<Service[]>(feed, { topics: ['services'], maxEntries: 1 });
  return {
    ...stored,
    byId,
    async list() {
      return structuredClone((await all.read('all', () => stored.list())) ?? []);
    },
    async oidcConfig(id) {
      const service = await byId(id);
      return service?.protocol === 'oidc' ? service.config : undefined;
    },
    async samlById(entityId) {
      const service = await byId(entityId);
      return service?.protocol === 'saml' ? (service as SamlService) : undefined;
    },
  };
}
