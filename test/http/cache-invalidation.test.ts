// Services and keys are cached in each instance (issue 16); a change by the
// CLI or another instance must be seen by the very next request. On the
// embedded database the NOTIFY of migration 0014 reaches the feed before the
// writing query resolves. test/postgres/change-feed.test.ts and
// test/faults/cache-invalidation.fault.ts do the same across connections and
// processes on PostgreSQL.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { rotateSigningKeys } from '../../src/oidc/keys.ts';
import { rotateSamlKeys } from '../../src/saml/crypto/keys.ts';
import { secretBox } from '../../src/platform/crypto/secret-box.ts';
import { installationSecret } from '../../src/platform/crypto/installation-secrets.ts';
import { serviceRepository, type OidcClientMetadata } from '../../src/services/service-repository.ts';
import { buildTestApp, type TestApp } from '../helpers/test-app.ts';

const client = (secret: string): OidcClientMetadata => ({
  client_id: 'cached-client',
  client_secret: secret,
  redirect_uris: ['https://cached.example/cb'],
  token_endpoint_auth_method: 'client_secret_basic',
  grant_types: ['client_credentials'],
  response_types: [],
});

describe('cached services and keys follow every change at once', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
  });
  after(async () => {
    await t?.close();
  });

  /** The token endpoint's answer to a client_credentials grant: the client as oidc-provider finds it. */
  const grant = async (secret: string) =>
    (
      await t.fastify.inject({
        method: 'POST',
        url: '/oidc/token',
        headers: {
          authorization: `Basic ${Buffer.from(`cached-client:${secret}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        payload: 'grant_type=client_credentials',
      })
    ).statusCode;

  test('an OIDC client written past the cache (as the CLI does) is found, changed and removed with the next request', async () => {
    // The CLI's writes: the plain repository over the database, no cache of this app involved.
    const cli = serviceRepository(t.app.db);
    const listed = async () => (await t.app.services.list()).some((s) => s.id === 'cached-client');
    assert.equal(await listed(), false);
    assert.equal(await grant('one'), 401, 'unknown, and remembered as unknown');
    assert.equal(await grant('one'), 401);
    await cli.upsertOidc(client('one'), 'Cached');
    assert.equal(await listed(), true, 'the list follows too');
    assert.equal(await grant('one'), 200, 'added: found at once');
    assert.equal(await grant('one'), 200);
    await cli.upsertOidc(client('two'), 'Cached');
    assert.equal(await grant('one'), 401, 'the old secret is refused at once');
    assert.equal(await grant('two'), 200);
    await cli.remove('cached-client', 'oidc');
    assert.equal(await grant('two'), 401, 'removed: refused at once');
    assert.equal(await listed(), false);
  });

  test('a SAML service provider removed past the cache is gone for the next lookup', async () => {
    const cli = serviceRepository(t.app.db);
    const entityId = 'https://cached-sp.example/saml';
    assert.equal(await t.app.services.samlById(entityId), undefined);
    await cli.upsertSaml(
      {
        entityId,
        acs: [{ url: 'https://cached-sp.example/acs', index: 0, isDefault: true }],
        singleLogout: [],
        signingCertificates: [],
        encryptionCertificates: [],
        encryptionMethods: [],
        authnRequestsSigned: false,
        nameIdFormats: [],
        attributes: [],
        signature: 'rsa-sha256',
        keyTransport: 'rsa-oaep-mgf1p',
        encryptAssertions: false,
        metadataUrl: undefined,
      },
      'Cached SP',
    );
    assert.equal((await t.app.services.samlById(entityId))?.displayName, 'Cached SP');
    // Callers share the cached row, frozen: a change fails loudly and changes nothing for the others.
    const shared = await t.app.services.samlById(entityId);
    assert.throws(
      () => shared?.config.acs.push({ url: 'https://evil.example/acs', index: 1, isDefault: false }),
      TypeError,
    );
    assert.equal((await t.app.services.samlById(entityId))?.config.acs.length, 1);
    await cli.remove(entityId, 'saml');
    assert.equal(await t.app.services.samlById(entityId), undefined);
  });

  test('keys rotate: the very next JWKS and SAML metadata requests publish the new keys, without a restart', async () => {
    const jwks = async () =>
      ((await t.fastify.inject({ method: 'GET', url: '/oidc/jwks' })).json() as { keys: { kid: string }[] }).keys.map(
        (k) => k.kid,
      );
    const metadataKeys = async () =>
      (await t.fastify.inject({ method: 'GET', url: '/saml/metadata' })).body.match(/<(?:md:)?KeyDescriptor[\s>]/g)
        ?.length;
    const oidcBefore = await jwks();
    const samlBefore = await metadataKeys();
    assert.equal(oidcBefore.length, 2);
    const oidcNew = await rotateSigningKeys(t.app.db, t.clock);
    const box = secretBox(await installationSecret(t.app.db, 'saml_key_box'));
    await rotateSamlKeys(t.app.db, t.clock, box);
    const oidcAfter = await jwks();
    assert.deepEqual(oidcAfter.slice(0, 2).sort(), [...oidcNew].sort(), 'the new keys come first and sign');
    assert.deepEqual(oidcAfter.slice(2).sort(), [...oidcBefore].sort(), 'the old ones stay published');
    assert.ok(samlBefore !== undefined && samlBefore > 0);
    assert.equal(await metadataKeys(), samlBefore * 2, 'the new SAML keys are published ahead of use');
  });
});
