import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
 * `client add --client-credentials --id-token-alg ES256` as an operator
 * would (authorization code, refresh token and client credentials grants).
 */
export async function registerClient(cliEnv: NodeJS.ProcessEnv): Promise<BenchClient> {
  const client: BenchClient = {
    id: 'bench-service',
    secret: randomBytes(32).toString('base64url'),
    redirectUri: 'https://bench-service.example/callback',
  };
  await runCli(
    [
      'client',
      'add',
      '--id',
      client.id,
      `--secret=${client.secret}`,
      '--redirect-uri',
      client.redirectUri,
      '--name',
      'Lasttest-Dienst',
      '--client-credentials',
      // The bare library signs ID tokens with ES256 (baseline/bare-provider.ts): the same algorithm here, so that
      // `ours ÷ bare` compares our layers, not RSA-3072 (the CLI's default) with P-256.
      '--id-token-alg',
      'ES256',
    ],
    cliEnv,
  );
  return client;
}

/**
 * A SAML service provider as in the end-to-end tests (node-saml 5, RSA-3072
 * signing and encryption keys, test/e2e/helpers/saml-peer.ts), registered
 * with `sp add --metadata FILE`: it only knows our /saml/metadata.
 */
export async function registerServiceProvider(
  baseUrl: string,
  cliEnv: NodeJS.ProcessEnv,
  validateEvery: number,
): Promise<SamlFixture> {
  const response = await fetch(`${baseUrl}/saml/metadata`);
  if (response.status !== 200) throw new Error(`GET /saml/metadata answered ${response.status}`);
  const metadataXml = await response.text();
  const idpCertificates = idpRsaSigningCertificates(metadataXml);
  const idpEntityId = /entityID="([^"]+)"/.exec(metadataXml)?.[1];
  if (!idpEntityId || idpCertificates.length === 0)
    throw new Error('our metadata has no entityID or RSA signing certificate');
  const peer = await createSamlPeer({
    host: 'wohngeld-bench.example',
    idpBaseUrl: baseUrl,
    idpEntityId,
    idpCertificates,
  });
  const dir = await mkdtemp(join(tmpdir(), 'sk-bench-'));
  try {
    const file = join(dir, 'sp-metadata.xml');
    await writeFile(file, peer.metadata);
    await runCli(
      [
        'sp',
        'add',
        '--metadata',
        file,
        '--name',
        'Wohngeld Online (Lasttest)',
        '--attribute',
        'urn:oid:2.5.4.42',
        '--attribute',
        'urn:oid:2.5.4.4',
        '--attribute',
        'urn:oid:1.3.6.1.4.1.25484.494450.3',
      ],
      cliEnv,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return {
    entityId: peer.entityId,
    acs: peer.acs,
    slo: peer.slo,
    idpEntityId,
    idpCertificates,
    signing: peer.signing,
    encryption: peer.encryption,
    validateEvery,
  };
}
