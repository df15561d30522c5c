import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openChangeFeed, type ChangeFeed } from '../../src/platform/db/change-feed.ts';
import type { Database } from '../../src/platform/db/database.ts';
import { migrate } from '../../src/platform/db/migrate.ts';
import { createPostgresDatabase } from '../../src/platform/db/postgres.ts';
import { listenerName } from '../../src/platform/db/postgres-listener.ts';
import { cachedServiceRepository } from '../../src/services/cached-service-repository.ts';
import { serviceRepository, type OidcClientMetadata } from '../../src/services/service-repository.ts';
import { createScratchDatabase, dropScratchDatabase, queryScratch } from '../e2e/helpers/server.ts';

const client = (redirect: string): OidcClientMetadata => ({
  client_id: 'cached-client',
  redirect_uris: [redirect],
  token_endpoint_auth_method: 'none',
  grant_types: ['authorization_code'],
  response_types: ['code'],
});

async function until(condition: () => boolean, what: string): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > 10_000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Two processes' view of one database: the server's (cached) and a writer's (the CLI's). */
describe('the change feed on PostgreSQL', () => {
  let scratch: { name: string; url: string };
  let server: Database;
  let cli: Database;
  let feed: ChangeFeed;
  const heard: (string | undefined)[] = [];
  before(async () => {
    scratch = await createScratchDatabase();
    server = createPostgresDatabase(scratch.url);
    cli = createPostgresDatabase(scratch.url);
    await migrate(server);
    // A second before listening again: long enough for the cut test to act while nobody listens, on a loaded machine
    // too (with 20 ms the feed could be back before the test looked).
    feed = await openChangeFeed(server, { retryMs: 1_000, heartbeatMs: 200 });
    feed.subscribe((topic) => heard.push(topic));
  });
  after(async () => {
    await feed?.close();
    await server?.close();
    await cli?.close();
    if (scratch) await dropScratchDatabase(scratch.name);
  });

  /** Resolves once the feed passed on `topic` (a notification travels on its own connection). */
  const announced = async (topic: string, since: number) =>
    until(() => heard.slice(since).includes(topic), `the announcement of ${topic}`);

  test('a committed change is announced with its table; a rolled-back one is not', async () => {
    assert.equal(feed.live, true);
    const since = heard.length;
    await assert.rejects(
      cli.transaction(async (tx) => {
        await serviceRepository(tx).upsertOidc(client('https://rolled.example/cb'), 'Rolled back');
        throw new Error('rollback');
      }),
    );
    await cli.query("INSERT INTO installation_secrets (name, value) VALUES ('feed_test', 'x')");
    await announced('installation_secrets', since);
    assert.deepEqual(heard.slice(since), ['installation_secrets']);
  });

  test('heartbeats come back on the listening session and are not passed on as changes', async () => {
    const since = heard.length;
    await new Promise((resolve) => setTimeout(resolve, 700));
    assert.equal(feed.live, true, 'three heartbeats of 200 ms answered');
    assert.deepEqual(heard.slice(since), []);
  });

  test('the cached lookup serves from memory and sees an update, a removal and a new client once announced', async () => {
    const services = cachedServiceRepository(server, feed);
    assert.equal(await services.oidcConfig('cached-client'), undefined);
    let since = heard.length;
    await serviceRepository(cli).upsertOidc(client('https://one.example/cb'), 'Cached');
    await announced('services', since);
    assert.deepEqual((await services.oidcConfig('cached-client'))?.redirect_uris, ['https://one.example/cb']);
    // Callers share the cached row, frozen: a change to it fails instead of changing it for everyone.
    const shared = await services.byId('cached-client');
    assert.equal(await services.byId('cached-client'), shared);
    const sharedConfig = shared?.config as OidcClientMetadata;
    assert.ok(Object.isFrozen(shared) && Object.isFrozen(sharedConfig.redirect_uris));
    assert.throws(() => sharedConfig.redirect_uris.push('https://evil.example/cb'), TypeError);
    // oidc-provider gets a copy of its own each time, which it may change.
    const forProvider = await services.oidcConfig('cached-client');
    forProvider?.redirect_uris.push('https://changed.example/cb');
    assert.notEqual(forProvider, sharedConfig);
    assert.deepEqual((await services.oidcConfig('cached-client'))?.redirect_uris, ['https://one.example/cb']);
    // Served from memory now: a row changed behind the feed's back (triggers off) is not seen.
    await cli.transaction(async (tx) => {
      await tx.query("SET LOCAL session_replication_role = 'replica'");
      await tx.query(`UPDATE services SET config = config || '{"client_name":"unseen"}' WHERE id = 'cached-client'`);
    });
    assert.equal((await services.oidcConfig('cached-client'))?.client_name, undefined);
    since = heard.length;
    await serviceRepository(cli).upsertOidc(client('https://two.example/cb'), 'Cached');
    await announced('services', since);
    assert.deepEqual((await services.oidcConfig('cached-client'))?.redirect_uris, ['https://two.example/cb']);
    since = heard.length;
    await serviceRepository(cli).remove('cached-client', 'oidc');
    await announced('services', since);
    assert.equal(await services.oidcConfig('cached-client'), undefined);
  });

  test('a cut listening connection: no answer from memory until it listens again, and what changed meanwhile is seen', async () => {
    const services = cachedServiceRepository(server, feed);
    await serviceRepository(cli).upsertOidc(client('https://before.example/cb'), 'Cut');
    await until(() => feed.live, 'the feed');
    assert.deepEqual((await services.oidcConfig('cached-client'))?.redirect_uris, ['https://before.example/cb']);
    const heardBefore = heard.length;
    const cut = await queryScratch<{ cut: boolean }>(
      scratch.url,
      'SELECT pg_terminate_backend(pid) AS cut FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()',
      [listenerName],
    );
    assert.deepEqual(
      cut.map((row) => row.cut),
      [true],
    );
    // The loss is announced to the listeners (undefined: forget everything), however short it was.
    await until(() => heard.slice(heardBefore).includes(undefined), 'the feed to notice the cut');
    assert.equal(feed.live, false, 'not listening yet');
    // Read while nobody listens: nothing of it may be kept.
    assert.deepEqual((await services.oidcConfig('cached-client'))?.redirect_uris, ['https://before.example/cb']);
    // Changed while nobody listens (triggers off, so no announcement could help either): read from the database.
    await cli.transaction(async (tx) => {
      await tx.query("SET LOCAL session_replication_role = 'replica'");
      await tx.query(
        `UPDATE services SET config = jsonb_set(config, '{redirect_uris}', '["https://during.example/cb"]') WHERE id = 'cached-client'`,
      );
    });
    assert.deepEqual((await services.oidcConfig('cached-client'))?.redirect_uris, ['https://during.example/cb']);
    await until(() => feed.live, 'the feed to listen again');
    assert.deepEqual((await services.oidcConfig('cached-client'))?.redirect_uris, ['https://during.example/cb']);
  });
});
