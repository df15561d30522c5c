import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createSamlPeer, idpRsaSigningCertificates } from '../../test/e2e/helpers/saml-peer.ts';
import { runCli } from '../../test/e2e/helpers/server.ts';
import type { SamlFixture } from '../lib/types.ts';

export interface BenchClient {
  id: string;
  secret: string;
  redirectUri: string;
}

/**
 * The online service as a confidential OIDC client, registered with
 * `client add`. The CLI registers the grants authorization_code and
 * refresh_token only (src/cli/client-metadata.ts) and has no option for
 * client_credentials, which the server has enabled (features.clientCredentials
 * in src/oidc/provider.ts) and which oidc-provider allows per client by its
 * `grant_types` metadata. The bench therefore adds client_credentials to
 * the stored metadata of this one client, in the services table the
 * server reads clients from (src/oidc/adapter.ts). Reported as
 * `clientCredentialsRegisteredBy` in the results.
 */
export async function registerClient(databaseUrl: string, cliEnv: NodeJS.ProcessEnv): Promise<BenchClient> {
  const client: BenchClient = { id: 'bench-service', secret: randomBytes(32).toString('base64url'), redirectUri: 'https://bench-service.example/callback' };
  await runCli(['client', 'add', '--id', client.id, `--secret=${client.secret}`, '--redirect-uri', client.redirectUri, '--name', 'Lasttest-Dienst'], cliEnv);
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const result = await db.query(
      `UPDATE services SET config = jsonb_set(config, '{grant_types}', (config -> 'grant_types') || '["client_credentials"]'::jsonb)
       WHERE id = $1 AND protocol = 'oidc' AND NOT (config -> 'grant_types') ? 'client_credentials'`,
      [client.id],
    );
    if (result.rowCount !== 1) throw new Error('could not add client_credentials to the bench client');
  } finally {
    await db.end();
  }
  return client;
}

/**
 * A SAML service provider as in the end-to-end tests (node-saml 5, RSA-3072
 * signing and encryption keys, test/e2e/helpers/saml-peer.ts), registered
 * with `sp add --metadata FILE`: it only knows our /saml/metadata.
 */
export async function registerServiceProvider(baseUrl: string, cliEnv: NodeJS.ProcessEnv, validateEvery: number): Promise<SamlFixture> {
  const response = await fetch(`${baseUrl}/saml/metadata`);
  if (response.status !== 200) throw new Error(`GET /saml/metadata answered ${response.status}`);
  const metadataXml = await response.text();
  const idpCertificates = idpRsaSigningCertificates(metadataXml);
  const idpEntityId = /entityID="([^"]+)"/.exec(metadataXml)?.[1];
  if (!idpEntityId || idpCertificates.length === 0) throw new Error('our metadata has no entityID or RSA signing certificate');
  const peer = await createSamlPeer({ host: 'wohngeld-bench.example', idpBaseUrl: baseUrl, idpEntityId, idpCertificates });
  const dir = await mkdtemp(join(tmpdir(), 'sk-bench-'));
  try {
    const file = join(dir, 'sp-metadata.xml');
    await writeFile(file, peer.metadata);
    await runCli(['sp', 'add', '--metadata', file, '--name', 'Wohngeld Online (Lasttest)', '--attribute', 'urn:oid:2.5.4.42', '--attribute', 'urn:oid:2.5.4.4', '--attribute', 'urn:oid:1.3.6.1.4.1.25484.494450.3'], cliEnv);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return { entityId: peer.entityId, acs: peer.acs, slo: peer.slo, idpEntityId, idpCertificates, signing: peer.signing, encryption: peer.encryption, validateEvery };
}
