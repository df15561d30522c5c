import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { housekeeping } from '../../src/platform/jobs/housekeeping.ts';
import { jobQueue } from '../../src/platform/jobs/queue.ts';
import { generateKeyWithCertificate } from '../../src/platform/crypto/certificate.ts';
import { refreshServiceProviderMetadata } from '../../src/saml/metadata/refresh.ts';
import {
  refreshJobKind,
  registerMetadataRefresh,
  scheduleMetadataRefreshes,
} from '../../src/saml/metadata/refresh-schedule.ts';
import type { SamlService } from '../../src/services/service-repository.ts';
import {
  createServiceProvider,
  postedFields,
  registerServiceProvider,
  type TestServiceProvider,
} from '../helpers/saml-sp.ts';
import { walkSamlLogin } from '../helpers/saml-browser.ts';
import { Browser, buildTestApp, followRedirects, registerVerified, type TestApp } from '../helpers/test-app.ts';

/** The service's metadata endpoint: serves whatever the test put there last, or fails with the status it was given. */
interface MetadataServer {
  url: string;
  body: string;
  status: number;
  requests: number;
  close(): Promise<void>;
}

async function metadataServer(body: string): Promise<MetadataServer> {
  const state = { body, status: 200, requests: 0 };
  const server: Server = createServer((_request, response) => {
    state.requests++;
    response
      .writeHead(state.status, { 'content-type': 'application/samlmetadata+xml' })
      .end(state.status === 200 ? state.body : 'unavailable');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}/saml/metadata`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

interface Setup {
  t: TestApp;
  provider: TestServiceProvider;
  server: MetadataServer;
  before: SamlService;
}

/**
 * An SP registered from its URL, with operator choices that differ from every default, so a refresh that overwrote them
 * would show.
 */
async function setup(): Promise<Setup> {
  const t = await buildTestApp();
  const provider = await createServiceProvider(t.app);
  const server = await metadataServer(provider.metadata);
  const before = await registerServiceProvider(
    t.app,
    provider,
    {
      metadataUrl: server.url,
      attributes: ['urn:oid:2.5.4.42'],
      signature: 'rsa-pss-sha256',
      keyTransport: 'rsa-oaep-sha256',
    },
    3,
  );
  return { t, provider, server, before };
}

async function teardown({ t, server }: Setup): Promise<void> {
  await server.close();
  await t.close();
}

async function auditEvents(t: TestApp, action: string) {
  const result = await t.app.db.query<{
    actor: string;
    outcome: string;
    subject: string;
    details: Record<string, unknown>;
  }>('SELECT actor, outcome, subject, details FROM audit_events WHERE action = $1 ORDER BY id', [action]);
  return result.rows;
}

const current = async (t: TestApp, id: string) => {
  const service = await t.app.services.samlById(id);
  assert.ok(service);
  return service;
};

test("a new ACS in the metadata is taken over; the operator's choices stay", async () => {
  const s = await setup();
  try {
    s.server.body = s.provider.metadata.replace(
      'https://service.example/saml/acs',
      'https://service.example/saml/acs-new',
    );
    const result = await refreshServiceProviderMetadata(s.t.app, s.provider.entityId);
    assert.equal(result.outcome, 'updated');
    assert.deepEqual(result.outcome === 'updated' && result.changed, ['acs']);
    const after = await current(s.t, s.provider.entityId);
    assert.deepEqual(
      after.config.acs.map((a) => a.url),
      ['https://service.example/saml/acs-new'],
    );
    assert.deepEqual(after.config.attributes, ['urn:oid:2.5.4.42']);
    assert.equal(after.config.signature, 'rsa-pss-sha256');
    assert.equal(after.config.keyTransport, 'rsa-oaep-sha256');
    assert.equal(after.config.encryptAssertions, true);
    assert.equal(after.config.metadataUrl, s.server.url);
    assert.equal(after.displayName, 'Wohngeld Online');
    assert.equal(after.operator, 'Stadt Musterstadt');
    assert.equal(after.minLevel, 3);
    assert.deepEqual(after.config.signingCertificates, s.before.config.signingCertificates);
    const [event] = await auditEvents(s.t, 'service.metadata_refreshed');
    assert.deepEqual(event, {
      actor: 'system',
      outcome: 'success',
      subject: `service:${s.provider.entityId}`,
      details: { changed: 'acs', signingKeysAdded: 0, signingKeysRemoved: 0 },
    });

    // The same document again changes nothing and writes nothing.
    const again = await refreshServiceProviderMetadata(s.t.app, s.provider.entityId);
    assert.equal(again.outcome, 'unchanged');
    assert.equal((await auditEvents(s.t, 'service.metadata_refreshed')).length, 1);
    assert.equal(await s.t.app.audit.verify(s.t.app.db), undefined);
  } finally {
    await teardown(s);
  }
});

test('metadata with another entityID is refused and audited; the old configuration stays', async () => {
  const s = await setup();
  try {
    s.server.body = s.provider.metadata
      .replace('entityID="https://service.example/saml"', 'entityID="https://other.example/saml"')
      .replace('https://service.example/saml/acs', 'https://other.example/saml/acs');
    const result = await refreshServiceProviderMetadata(s.t.app, s.provider.entityId);
    assert.equal(result.outcome, 'failed');
    assert.equal(result.outcome === 'failed' && result.problem, 'entity_id_changed');
    assert.deepEqual((await current(s.t, s.provider.entityId)).config, s.before.config);
    assert.equal(await s.t.app.services.samlById('https://other.example/saml'), undefined);
    const events = await auditEvents(s.t, 'service.metadata_refreshed');
    assert.deepEqual(events, [
      {
        actor: 'system',
        outcome: 'failure',
        subject: `service:${s.provider.entityId}`,
        details: { problem: 'entity_id_changed', detail: 'https://other.example/saml' },
      },
    ]);
  } finally {
    await teardown(s);
  }
});

test('when the metadata server fails or is gone, the old configuration stays and the failure is audited', async () => {
  const s = await setup();
  try {
    s.server.status = 503;
    const unavailable = await refreshServiceProviderMetadata(s.t.app, s.provider.entityId);
    assert.equal(unavailable.outcome, 'failed');
    assert.equal(unavailable.outcome === 'failed' && unavailable.detail, 'the metadata URL answered 503');

    // Run by the job worker (here a second instance's queue on the same database), the failure is logged as a warning
    // too.
    const warnings: object[] = [];
    const log = { info: () => undefined, warn: (entry: object) => void warnings.push(entry), error: () => undefined };
    const secondInstance = jobQueue(s.t.app.db, s.t.clock, log);
    registerMetadataRefresh({ ...s.t.app, jobs: secondInstance }, log);
    await scheduleMetadataRefreshes(s.t.app);
    assert.equal(await secondInstance.runDue(), 1);
    assert.deepEqual(warnings, [
      { service: s.provider.entityId, problem: 'fetch_failed', detail: 'the metadata URL answered 503' },
    ]);

    s.server.status = 200;
    s.server.body = '<not-metadata/>';
    const garbage = await refreshServiceProviderMetadata(s.t.app, s.provider.entityId);
    assert.equal(garbage.outcome === 'failed' && garbage.problem, 'not_saml_metadata');

    await s.server.close();
    const down = await refreshServiceProviderMetadata(s.t.app, s.provider.entityId);
    assert.equal(down.outcome === 'failed' && down.problem, 'fetch_failed');
    // One message for every network failure: the cause (ECONNREFUSED and the like) would tell open ports from closed
    // ones.
    assert.equal(down.outcome === 'failed' && down.detail, 'the metadata URL could not be fetched');
    assert.deepEqual((await current(s.t, s.provider.entityId)).config, s.before.config);
    const events = await auditEvents(s.t, 'service.metadata_refreshed');
    assert.deepEqual(
      events.map((e) => [e.outcome, e.details.problem]),
      [
        ['failure', 'fetch_failed'],
        ['failure', 'fetch_failed'],
        ['failure', 'not_saml_metadata'],
        ['failure', 'fetch_failed'],
      ],
    );
  } finally {
    await s.t.close();
  }
});

test('a replaced signing key is taken over and the removed one audited; metadata without the encryption key, or expired, is refused', async () => {
  const s = await setup();
  try {
    const [oldCertificate] = s.before.config.signingCertificates;
    assert.ok(oldCertificate);
    const replacement = await generateKeyWithCertificate('RSA-3072', 'signing', 'test sp signing 2', new Date());
    const replacementBase64 = replacement.certificatePem.replace(/-----[A-Z ]+-----|\s/g, '');
    s.server.body = s.provider.sp.generateServiceProviderMetadata(
      s.provider.encryption.certificatePem,
      replacement.certificatePem,
    );
    const result = await refreshServiceProviderMetadata(s.t.app, s.provider.entityId);
    assert.deepEqual(result.outcome === 'updated' && result.changed, ['signingCertificates']);
    assert.deepEqual((await current(s.t, s.provider.entityId)).config.signingCertificates, [replacementBase64]);
    assert.notEqual(replacementBase64, oldCertificate);
    const removed = await auditEvents(s.t, 'service.signing_key_removed');
    assert.equal(removed.length, 1);
    assert.match(String(removed[0]?.details.sha256), /^[0-9a-f]{64}$/);
    assert.deepEqual((await auditEvents(s.t, 'service.metadata_refreshed'))[0]?.details, {
      changed: 'signingCertificates',
      signingKeysAdded: 1,
      signingKeysRemoved: 1,
    });

    // Assertions to this service are encrypted: metadata that drops the encryption key would break every login.
    const [encryptionCertificate] = s.before.config.encryptionCertificates;
    assert.ok(encryptionCertificate);
    s.server.body = s.provider.metadata.replace(/<KeyDescriptor use="encryption">[\s\S]*?<\/KeyDescriptor>/, '');
    assert.ok(!s.server.body.includes(encryptionCertificate));
    const withoutKey = await refreshServiceProviderMetadata(s.t.app, s.provider.entityId);
    assert.equal(withoutKey.outcome === 'failed' && withoutKey.problem, 'no_encryption_key');

    s.server.body = s.provider.metadata.replace(
      '<EntityDescriptor ',
      `<EntityDescriptor validUntil="${new Date(s.t.clock.now().getTime() - 1000).toISOString()}" `,
    );
    const expired = await refreshServiceProviderMetadata(s.t.app, s.provider.entityId);
    assert.equal(expired.outcome === 'failed' && expired.problem, 'metadata_expired');
    assert.deepEqual((await current(s.t, s.provider.entityId)).config.encryptionCertificates, [encryptionCertificate]);
  } finally {
    await teardown(s);
  }
});

test('each service registered from a URL has one queued refresh, run by the job worker every 6 hours or as its cacheDuration says', async () => {
  const s = await setup();
  try {
    const pending = async () =>
      (
        await s.t.app.db.query<{ run_at: Date }>(
          "SELECT run_at FROM jobs WHERE kind = $1 AND done_at IS NULL AND payload->>'entityId' = $2",
          [refreshJobKind, s.provider.entityId],
        )
      ).rows.map((r) => new Date(r.run_at).getTime());
    // A service registered from a file gets none.
    const fromFile = await createServiceProvider(s.t.app, { entityId: 'https://file.example/saml' });
    await registerServiceProvider(s.t.app, fromFile);

    await housekeeping(s.t.app);
    const queued = await s.t.app.db.query<{ entity_id: string }>(
      "SELECT payload->>'entityId' AS entity_id FROM jobs WHERE kind = $1",
      [refreshJobKind],
    );
    assert.deepEqual(
      queued.rows,
      [{ entity_id: s.provider.entityId }],
      'housekeeping queues a refresh for the URL-registered service only',
    );
    assert.equal(await scheduleMetadataRefreshes(s.t.app), 0, 'housekeeping on a second instance queues nothing more');
    s.server.body = s.provider.metadata.replace(
      'https://service.example/saml/acs',
      'https://service.example/saml/acs-2',
    );
    assert.equal(await s.t.app.jobs.runDue(), 1);
    assert.equal(s.server.requests, 1);
    assert.equal((await current(s.t, s.provider.entityId)).config.acs[0]?.url, 'https://service.example/saml/acs-2');
    assert.deepEqual(await pending(), [s.t.clock.now().getTime() + 6 * 3600 * 1000]);
    assert.equal(await scheduleMetadataRefreshes(s.t.app), 0);

    // Not due yet; then due, with a metadata that asks to be fetched hourly.
    s.t.clock.advance(5 * 3600 * 1000);
    assert.equal(await s.t.app.jobs.runDue(), 0);
    s.server.body = s.provider.metadata.replace('<EntityDescriptor ', '<EntityDescriptor cacheDuration="PT1H" ');
    s.t.clock.advance(3600 * 1000);
    assert.equal(await s.t.app.jobs.runDue(), 1);
    assert.equal((await current(s.t, s.provider.entityId)).config.acs[0]?.url, 'https://service.example/saml/acs');
    assert.deepEqual(await pending(), [s.t.clock.now().getTime() + 3600 * 1000]);

    // A failed refresh keeps the chain going, with a retry after an hour.
    s.server.status = 500;
    s.t.clock.advance(3600 * 1000);
    assert.equal(await s.t.app.jobs.runDue(), 1);
    assert.deepEqual(await pending(), [s.t.clock.now().getTime() + 3600 * 1000]);
    const failed = await s.t.app.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM jobs WHERE kind = $1 AND last_error IS NOT NULL',
      [refreshJobKind],
    );
    assert.equal(failed.rows[0]?.n, 0, 'a refused document is not a job failure: no retry storm');
    assert.equal(s.server.requests, 3);
  } finally {
    await teardown(s);
  }
});

test('metadata without an encryption key gets signed assertions in clear; the refresh that brings a key turns encryption on', async () => {
  const t = await buildTestApp();
  const provider = await createServiceProvider(t.app, { entityId: 'https://nokey.example/saml' });
  const withoutKey = provider.metadata.replace(/<KeyDescriptor use="encryption">[\s\S]*?<\/KeyDescriptor>/, '');
  const server = await metadataServer(withoutKey);
  try {
    // As `sp add` registers it: encryption is not turned off, the metadata just has no key.
    await registerServiceProvider(t.app, { ...provider, metadata: withoutKey }, { metadataUrl: server.url });
    await registerVerified(t, new Browser(t.fastify), 'erika.m', 'erika@example.org');
    const assertionOfLogin = async () => {
      const browser = new Browser(t.fastify);
      const start = new URL(await provider.sp.getAuthorizeUrlAsync('in', undefined, {}));
      const done = await walkSamlLogin(browser, await followRedirects(browser, `${start.pathname}${start.search}`));
      const posted = postedFields(done.body).SAMLResponse;
      const { profile } = await provider.sp.validatePostResponseAsync({ SAMLResponse: posted });
      assert.ok(profile?.nameID, 'the service reads the login');
      return Buffer.from(posted, 'base64').toString('utf8');
    };
    const clear = await assertionOfLogin();
    assert.match(clear, /<saml:Assertion [^>]*>[\s\S]*<ds:Signature/);
    assert.doesNotMatch(clear, /EncryptedAssertion/);
    server.body = provider.metadata;
    const result = await refreshServiceProviderMetadata(t.app, provider.entityId);
    assert.ok(result.outcome === 'updated' && result.changed.includes('encryptionCertificates'));
    const encrypted = await assertionOfLogin();
    assert.match(encrypted, /<saml:EncryptedAssertion/);
    assert.doesNotMatch(encrypted, /<saml:Assertion /);
  } finally {
    await server.close();
    await t.close();
  }
});
