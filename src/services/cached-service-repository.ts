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
  // Cached rows are deep-frozen (row-cache.ts): callers share them without a copy each, and a caller that tried to
  // change one would fail loudly instead of changing it for everyone. A copy per request cost 3.9 % of a
  // client-credentials grant's CPU (issue 16's profile).
  const cache = rowCache<Service>(feed, { topics: ['services'], maxEntries: maxServices, maxAbsent: maxUnknown });
  const byId = (id: string) => cache.read(id, () => stored.byId(id));
  // The whole list, for the public pages that name the services (web/site-routes.ts).
  const all = rowCache<Service[]>(feed, { topics: ['services'], maxEntries: 1 });
  // oidc-provider gets a copy of its own: it keeps parts of the metadata in the Client objects it builds from them.
  // JSON is what the metadata is stored as (jsonb); its text is made once per cached row.
  const configText = new WeakMap<object, string>();
  return {
    ...stored,
    byId,
    async list() {
      return (await all.read('all', () => stored.list())) ?? [];
    },
    async oidcConfig(id) {
      const service = await byId(id);
      if (service?.protocol !== 'oidc') return undefined;
      let text = configText.get(service.config);
      if (text === undefined) configText.set(service.config, (text = JSON.stringify(service.config)));
      return JSON.parse(text) as typeof service.config;
    },
    async samlById(entityId) {
      const service = await byId(entityId);
      return service?.protocol === 'saml' ? (service as SamlService) : undefined;
    },
  };
}
