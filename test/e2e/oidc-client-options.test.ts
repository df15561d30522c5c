/**
 * What `servicekonto client add` can register, each used by openid-client v6
 * (a real relying party) against the real server (issue 13, point 18):
 * the ID token algorithm, private_key_jwt with the service's own keys,
 * client_secret_jwt, and the public subject type. The operator CLI
 * registers every client before the server starts, as in production.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { decodeProtectedHeader, exportJWK, generateKeyPair, type CryptoKey } from 'jose';
import * as client from 'openid-client';
import { Browser } from './helpers/browser.ts';
import { authorizationRequest, authorize, type ServiceRegistration } from './helpers/relying-party.ts';
import {
  childEnv,
  createScratchDatabase,
  dropScratchDatabase,
  freePort,
  runCli,
  startServer,
  type RunningServer,
} from './helpers/server.ts';

const citizen = {
  username: 'erika.options',
  email: 'erika.options@example.org',
  password: 'Zwei Katzen schlafen auf dem Sofa',
};

/** One registered service: its CLI options and how openid-client authenticates it. */
interface Rp {
  service: ServiceRegistration;
  options: string[];
  metadata?: Partial<client.ClientMetadata>;
  auth: () => client.ClientAuth;
}

const secret = () => randomBytes(32).toString('base64url');
const serviceOn = (id: string, host: string): ServiceRegistration => ({
  clientId: id,
  clientSecret: secret(),
  redirectUri: `https://${host}/callback`,
  postLogoutRedirectUri: `https://${host}/`,
  name: id,
});

describe('client add options, each with openid-client', () => {
  let server: RunningServer;
  let scratch: { name: string; url: string };
  let folder: string;
  let privateKey: CryptoKey;
  let publisher: Server | undefined;
  const browser = { current: undefined as Browser | undefined };
  const rps = new Map<string, Rp>();

  before(async () => {
    scratch = await createScratchDatabase();
    folder = mkdtempSync(join(tmpdir(), 'sk-e2e-jwks-'));
    const port = await freePort();
    const env = childEnv({
      DATABASE_URL: scratch.url,
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: `http://localhost:${port}`,
      LOG_LEVEL: 'warn',
      START_EXAMPLE: 'false',
    });

    // The service's own key pair (jose); only the public half goes to the operator, as a JWK Set file.
    const pair = await generateKeyPair('ES256');
    privateKey = pair.privateKey;
    const jwksFile = join(folder, 'service-jwks.json');
    writeFileSync(
      jwksFile,
      JSON.stringify({ keys: [{ ...(await exportJWK(pair.publicKey)), alg: 'ES256', use: 'sig', kid: 'service-1' }] }),
    );

    const add = (rp: Rp) => {
      rps.set(rp.service.clientId, rp);
      return rp;
    };
    const basic = (service: ServiceRegistration) => () => client.ClientSecretBasic(service.clientSecret);
    const stock = serviceOn('stock', 'stock.example');
    add({ service: stock, options: [`--secret=${stock.clientSecret}`], auth: basic(stock) });
    const es = serviceOn('es256', 'es.example');
    add({
      service: es,
      options: [`--secret=${es.clientSecret}`, '--id-token-alg', 'ES256'],
      metadata: { id_token_signed_response_alg: 'ES256' },
      auth: basic(es),
    });
    const keys = serviceOn('keys', 'keys.example');
    add({
      service: keys,
      options: ['--jwks', jwksFile, '--id-token-alg', 'ES256'],
      metadata: { id_token_signed_response_alg: 'ES256' },
      auth: () => client.PrivateKeyJwt(privateKey),
    });
    // A service that publishes its keys itself (--jwks-uri); outside production the server may fetch from loopback.
    const published = await generateKeyPair('RS256', { modulusLength: 2048 });
    const publishedJwks = JSON.stringify({
      keys: [{ ...(await exportJWK(published.publicKey)), alg: 'RS256', use: 'sig', kid: 'published-1' }],
    });
    publisher = createServer((_request, response) =>
      response.writeHead(200, { 'content-type': 'application/json' }).end(publishedJwks),
    );
    await new Promise<void>((resolve) => publisher?.listen(0, '127.0.0.1', resolve));
    const jwksUri = `http://127.0.0.1:${(publisher.address() as AddressInfo).port}/jwks.json`;
    const remote = serviceOn('remote-keys', 'remote.example');
    add({
      service: remote,
      options: ['--jwks-uri', jwksUri, '--token-auth-method', 'private_key_jwt'],
      auth: () => client.PrivateKeyJwt(published.privateKey),
    });
    const hmac = serviceOn('hmac', 'hmac.example');
    add({
      service: hmac,
      options: [`--secret=${hmac.clientSecret}`, '--token-auth-method', 'client_secret_jwt'],
      auth: () => client.ClientSecretJwt(hmac.clientSecret),
    });
    for (const [id, host] of [
      ['open-a', 'a.example'],
      ['open-b', 'b.example'],
    ] as const) {
      const open = serviceOn(id, host);
      add({ service: open, options: [`--secret=${open.clientSecret}`, '--subject-type', 'public'], auth: basic(open) });
    }
    for (const { service, options } of rps.values()) {
      await runCli(
        [
          'client',
          'add',
          '--id',
          service.clientId,
          '--redirect-uri',
          service.redirectUri,
          '--name',
          service.name,
          ...options,
        ],
        env,
      );
    }
    await runCli(
      [
        'user',
        'create',
        '--username',
        citizen.username,
        '--email',
        citizen.email,
        '--password',
        citizen.password,
        '--verified',
      ],
      env,
    );
    server = await startServer(env, port);
    browser.current = new Browser(server.baseUrl);
  });

  after(async () => {
    await server?.stop();
    if (scratch) await dropScratchDatabase(scratch.name);
    if (folder) rmSync(folder, { recursive: true, force: true });
    await new Promise((resolve) => publisher?.close(resolve));
  });

  /** Discovery, the login (or SSO) with consent in the browser, and the code exchange, all by openid-client. */
  async function tokensOf(id: string): Promise<{
    config: client.Configuration;
    tokens: client.TokenEndpointResponse & client.TokenEndpointResponseHelpers;
  }> {
    const rp = rps.get(id);
    assert.ok(rp && browser.current, `${id} is registered`);
    const config = await client.discovery(new URL(server.baseUrl), id, rp.metadata, rp.auth(), {
      execute: [client.allowInsecureRequests],
    });
    const request = await authorizationRequest(config, rp.service);
    const { callback } = await authorize(browser.current, request.url, citizen);
    const tokens = await client.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: request.codeVerifier,
      expectedState: request.state,
      expectedNonce: request.nonce,
      idTokenExpected: true,
    });
    return { config, tokens };
  }

  test('a client registered without --id-token-alg gets RS256 ID tokens, which openid-client expects when told nothing', async () => {
    const { tokens } = await tokensOf('stock');
    assert.equal(decodeProtectedHeader(tokens.id_token ?? '').alg, 'RS256');
    assert.ok(tokens.claims()?.sub);
  });

  test('--id-token-alg ES256: the ID token is ES256 and validates as such', async () => {
    const { tokens } = await tokensOf('es256');
    assert.equal(decodeProtectedHeader(tokens.id_token ?? '').alg, 'ES256');
  });

  test('--jwks: private_key_jwt with keys made by jose; refresh and userinfo too', async () => {
    const { config, tokens } = await tokensOf('keys');
    const sub = tokens.claims()?.sub ?? '';
    assert.ok(sub);
    assert.equal((await client.fetchUserInfo(config, tokens.access_token, sub)).sub, sub);
    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token ?? '');
    assert.equal(refreshed.claims()?.sub, sub);
    // Another key than the registered one is refused (RFC 7523 §3).
    const stranger = await generateKeyPair('ES256');
    const forged = await client.discovery(
      new URL(server.baseUrl),
      'keys',
      { id_token_signed_response_alg: 'ES256' },
      client.PrivateKeyJwt(stranger.privateKey),
      { execute: [client.allowInsecureRequests] },
    );
    await assert.rejects(
      client.refreshTokenGrant(forged, refreshed.refresh_token ?? ''),
      (error: unknown) => error instanceof client.ResponseBodyError && error.error === 'invalid_client',
    );
  });

  test('--jwks-uri: private_key_jwt with keys the service publishes itself (RS256 assertion)', async () => {
    const { tokens } = await tokensOf('remote-keys');
    assert.ok(tokens.claims()?.sub);
  });

  test('--token-auth-method client_secret_jwt: the secret signs an assertion instead of travelling', async () => {
    const { tokens } = await tokensOf('hmac');
    assert.ok(tokens.claims()?.sub);
  });

  test('--subject-type public: services registered so see the same sub; pairwise ones each their own', async () => {
    const a = (await tokensOf('open-a')).tokens.claims()?.sub;
    const b = (await tokensOf('open-b')).tokens.claims()?.sub;
    const pairwise = (await tokensOf('stock')).tokens.claims()?.sub;
    assert.ok(a && b && pairwise);
    assert.equal(a, b);
    assert.notEqual(a, pairwise);
  });

  test('discovery advertises exactly what client add can register', async () => {
    const metadata = (
      await client.discovery(new URL(server.baseUrl), 'stock', undefined, client.None(), {
        execute: [client.allowInsecureRequests],
      })
    ).serverMetadata();
    assert.deepEqual([...(metadata.token_endpoint_auth_methods_supported ?? [])].sort(), [
      'client_secret_basic',
      'client_secret_jwt',
      'none',
      'private_key_jwt',
    ]);
    assert.deepEqual([...(metadata.id_token_signing_alg_values_supported ?? [])].sort(), ['ES256', 'RS256']);
    assert.deepEqual([...(metadata.subject_types_supported ?? [])].sort(), ['pairwise', 'public']);
    assert.deepEqual(metadata.ui_locales_supported, ['de', 'en']);
  });
});
