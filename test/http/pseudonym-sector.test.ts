import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commands } from '../../src/cli/commands.ts';
import { loadConfig } from '../../src/config/load.ts';
import { pseudonym, sectorOfClient } from '../../src/oidc/pairwise.ts';
import { createPgliteDatabase } from '../../src/platform/db/pglite.ts';
import { migratedDatabase } from '../helpers/db-template.ts';
import { migrate, readMigrations } from '../../src/platform/db/migrate.ts';
import { refreshServiceProviderMetadata } from '../../src/saml/metadata/refresh.ts';
import { sectorOf } from '../../src/saml/profile/sector.ts';
import { serviceRepository, type OidcClientMetadata } from '../../src/services/service-repository.ts';
import { createServiceProvider, postedFields, registerServiceProvider } from '../helpers/saml-sp.ts';
import { walkSamlLogin } from '../helpers/saml-browser.ts';
import { Browser, buildTestApp, followRedirects, registerVerified } from '../helpers/test-app.ts';

/**
 * Issue 13, point 17: one pseudonym sector rule for both protocols, the
 * host without port (DESIGN.md §4); a SAML service's sector is its ACS
 * host unless an operator registers one; clients registered before keep
 * their subjects.
 */
const client = (id: string, redirectUri: string): OidcClientMetadata => ({
  client_id: id,
  redirect_uris: [redirectUri],
  token_endpoint_auth_method: 'none',
  grant_types: ['authorization_code'],
  response_types: ['code'],
  subject_type: 'pairwise',
});

test('migration 0009 pins the sector (host with port) of OIDC clients registered with a non-default port, and nothing else', async () => {
  const db = await createPgliteDatabase('memory://');
  try {
    await migrate(
      db,
      readMigrations().filter((m) => m.version < '0009'),
    );
    const uris: Record<string, string> = {
      ported: 'https://App.Example:8443/cb',
      plain: 'https://app.example/cb',
      defaultPort: 'https://app.example:443/cb',
      local: 'http://localhost:3000/cb',
      userinfo: 'https://user@ported.example:9443/cb?x=1',
    };
    for (const [id, uri] of Object.entries(uris)) await serviceRepository(db).upsertOidc(client(id, uri), id);
    await migrate(db);
    const services = serviceRepository(db);
    const pinned = async (id: string) => ((await services.byId(id))?.config as OidcClientMetadata).pseudonym_sector;
    for (const [id, uri] of Object.entries(uris)) {
      const hasPort = new URL(uri).port !== '';
      // Exactly what oidc-provider computed as the sector before (`new URL(redirect_uris[0]).host`).
      assert.equal(await pinned(id), hasPort ? new URL(uri).host : undefined, id);
    }
    // A new registration of the same client (client add is idempotent) keeps the pinned sector.
    await services.upsertOidc(client('ported', 'https://app.example:8443/cb'), 'ported');
    assert.equal(await pinned('ported'), 'app.example:8443');
  } finally {
    await db.close();
  }
});

test('the OIDC sector drops the port for new clients and keeps a pinned one; oidc-provider passes the pinned one through', async () => {
  assert.equal(sectorOfClient({ sectorIdentifier: 'app.example:8443', clientId: 'x' }), 'app.example');
  assert.equal(sectorOfClient({ sectorIdentifier: 'app.example', clientId: 'x' }), 'app.example');
  const t = await buildTestApp();
  try {
    await t.app.services.upsertOidc(
      { ...client('legacy', 'https://legacy.example:8443/cb'), pseudonym_sector: 'legacy.example:8443' },
      'legacy',
    );
    await t.app.services.upsertOidc(client('fresh', 'https://fresh.example:8443/cb'), 'fresh');
    const find = async (id: string) =>
      (await t.app.provider.Client.find(id)) as unknown as Parameters<typeof sectorOfClient>[0];
    assert.equal(sectorOfClient(await find('legacy')), 'legacy.example:8443', 'the subjects it issued stay');
    assert.equal(sectorOfClient(await find('fresh')), 'fresh.example');
  } finally {
    await t.close();
  }
});

test('sp add: the sector is the ACS host; an entityID on another host is refused without --sector; --sector is kept and never changes', async () => {
  const { config } = loadConfig({ LOG_LEVEL: 'silent', START_EXAMPLE: 'false' });
  const db = await migratedDatabase();
  const dir = mkdtempSync(join(tmpdir(), 'sk-sector-'));
  const warnings: string[] = [];
  const io = { out: () => undefined, err: (message: string) => void warnings.push(message) };
  try {
    const t = await buildTestApp();
    // createServiceProvider's ACS is https://service.example/saml/acs.
    const same = await createServiceProvider(t.app, { entityId: 'https://service.example/saml' });
    const other = await createServiceProvider(t.app, { entityId: 'https://claimed.example/saml' });
    await t.close();
    const file = (name: string, xml: string) => {
      writeFileSync(join(dir, name), xml);
      return join(dir, name);
    };
    const spAdd = commands['sp add'];
    assert.ok(spAdd);
    const add = (...args: string[]) => spAdd.run(db, spAdd.parse(args), config, io);
    const services = serviceRepository(db);

    await add('--metadata', file('same.xml', same.metadata));
    const registered = await services.samlById('https://service.example/saml');
    assert.equal(registered?.config.sector, 'service.example');

    await assert.rejects(
      add('--metadata', file('other.xml', other.metadata)),
      /the entityID's host claimed\.example is not the host of the ACS URLs \(service\.example\).*--sector HOST/,
    );
    assert.equal(await services.samlById('https://claimed.example/saml'), undefined, 'nothing registered');

    await add('--metadata', join(dir, 'other.xml'), '--sector', 'claimed.example');
    assert.equal((await services.samlById('https://claimed.example/saml'))?.config.sector, 'claimed.example');
    assert.match(warnings.join('\n'), /sector claimed\.example was set by --sector/);
    await assert.rejects(
      add('--metadata', join(dir, 'other.xml'), '--sector', 'service.example'),
      /a sector never changes/,
    );
    await add('--metadata', join(dir, 'other.xml'));
    assert.equal(
      (await services.samlById('https://claimed.example/saml'))?.config.sector,
      'claimed.example',
      'a new registration keeps it',
    );
    await assert.rejects(
      add('--metadata', join(dir, 'same.xml'), '--sector', 'https://x.example:443'),
      /--sector must be a host name/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await db.close();
  }
});

test('one citizen, one pseudonym per host: the bPK2 of a SAML service registered by its ACS host is the OIDC sub of a client on that host and another port', async () => {
  const t = await buildTestApp();
  try {
    await registerVerified(t, new Browser(t.fastify), 'erika.m', 'erika@example.org');
    const accountId = (await t.app.accounts.byLogin('erika.m'))?.id ?? '';
    const sp = await createServiceProvider(t.app, { entityId: 'https://service.example/saml' });
    await registerServiceProvider(t.app, sp, { sector: 'service.example', sectorSource: 'acs' });
    const browser = new Browser(t.fastify);
    const url = new URL(await sp.sp.getAuthorizeUrlAsync('r', undefined, {}));
    const done = await walkSamlLogin(browser, await followRedirects(browser, `${url.pathname}${url.search}`));
    const { profile } = await sp.sp.validatePostResponseAsync({ SAMLResponse: postedFields(done.body).SAMLResponse });
    const oidcSub = pseudonym(
      t.app.saml.pseudonymSecret,
      sectorOfClient({ sectorIdentifier: 'service.example:8443', clientId: 'c' }),
      accountId,
    );
    assert.equal(profile?.['urn:oid:1.3.6.1.4.1.25484.494450.3'], oidcSub);
    // A service registered before the sector was stored keeps its entityID's host.
    assert.equal(sectorOf('https://old.example/saml', {}), 'old.example');
  } finally {
    await t.close();
  }
});

test('a metadata refresh that moves the ACS to another host than the registered sector is refused, and the old metadata stays', async () => {
  const t = await buildTestApp();
  const sp = await createServiceProvider(t.app, { entityId: 'https://service.example/saml' });
  let served = sp.metadata;
  const server = createServer(
    (_request, response) =>
      void response.writeHead(200, { 'content-type': 'application/samlmetadata+xml' }).end(served),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/saml/metadata`;
    await registerServiceProvider(t.app, sp, { metadataUrl: url, sector: 'service.example', sectorSource: 'acs' });
    served = sp.metadata.replace('https://service.example/saml/acs', 'https://elsewhere.example/saml/acs');
    const result = await refreshServiceProviderMetadata(
      { db: t.app.db, clock: t.clock, config: t.app.config, audit: t.app.audit },
      sp.entityId,
    );
    assert.equal(result.outcome, 'failed');
    assert.equal(result.outcome === 'failed' && result.problem, 'acs_host_not_sector');
    assert.equal((await t.app.services.samlById(sp.entityId))?.config.acs[0]?.url, 'https://service.example/saml/acs');
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await t.close();
  }
});
