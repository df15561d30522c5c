import type Provider from 'oidc-provider';
import type { ServiceRepository } from '../services/service-repository.ts';

type ClientClass = Provider['Client'];
type Client = InstanceType<ClientClass>;

/**
 * One oidc-provider Client per cached service row (issue 16). For a client its adapter finds, oidc-provider
 * serialises the metadata and hashes it on every request to find the Client it built before; with the rows cached
 * in process (services/cached-service-repository.ts), the row itself says whether the metadata changed: a change
 * through any instance replaces the cached row, and the Client built from the old one is no longer found. Services
 * that are not cached (a repository without the cache) are found as before.
 */
export function reuseClients(provider: Provider, services: Pick<ServiceRepository, 'byId'>): void {
  const Client = provider.Client as ClientClass & { find(id: string): Promise<Client | undefined> };
  const find = Client.find.bind(Client);
  const built = new WeakMap<object, Client>();
  Client.find = async (id: string) => {
    const service = typeof id === 'string' && id.length > 0 ? await services.byId(id) : undefined;
    if (service?.protocol !== 'oidc') return find(id);
    const known = built.get(service.config);
    if (known) return known;
    const client = await find(id);
    if (client) built.set(service.config, client);
    return client;
  };
}
