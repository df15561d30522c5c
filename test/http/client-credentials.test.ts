import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { clientMetadata } from '../../src/cli/client-metadata.ts';
import { UsageError } from '../../src/cli/args.ts';
import { buildTestApp, type TestApp } from '../helpers/test-app.ts';

const secret = 'a-client-secret-of-sufficient-length-123';

/** The client credentials grant (RFC 6749 §4.4), for clients registered with `client add --client-credentials`. */
describe('client credentials grant', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
    await t.app.services.upsertOidc(
      clientMetadata({
        id: 'batch',
        secret,
        redirectUris: ['https://batch.example/cb'],
        postLogoutRedirectUris: [],
        clientCredentials: true,
      }),
      'Batch',
      undefined,
    );
    await t.app.services.upsertOidc(
      clientMetadata({ id: 'portal', secret, redirectUris: ['https://portal.example/cb'], postLogoutRedirectUris: [] }),
      'Portal',
      undefined,
    );
  });
  after(() => t.close());

  const token = (clientId: string, password = secret) =>
    t.fastify.inject({
      method: 'POST',
      url: '/oidc/token',
      payload: 'grant_type=client_credentials',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${clientId}:${password}`).toString('base64')}`,
      },
    });

  test('a client registered for it gets an access token, without an ID token or a refresh token', async () => {
    const response = await token('batch');
    assert.equal(response.statusCode, 200, response.body);
    const body = response.json<{
      access_token?: string;
      id_token?: string;
      refresh_token?: string;
      token_type?: string;
    }>();
    assert.ok(body.access_token);
    assert.equal(body.token_type, 'Bearer');
    assert.equal(body.id_token, undefined);
    assert.equal(body.refresh_token, undefined);
  });

  test('a client registered without it, or a wrong secret, is refused', async () => {
    const other = await token('portal');
    assert.equal(other.statusCode, 400);
    // oidc-provider 9 answers invalid_request here (lib/actions/token.js), not RFC 6749's unauthorized_client.
    assert.deepEqual(other.json<{ error: string; error_description: string }>(), {
      error: 'invalid_request',
      error_description: 'requested grant type is not allowed for this client',
    });
    const wrong = await token('batch', `${secret}x`);
    assert.equal(wrong.statusCode, 401);
    assert.equal(wrong.json<{ error: string }>().error, 'invalid_client');
  });

  test('only a confidential client may be registered for it', () => {
    assert.throws(
      () =>
        clientMetadata({
          id: 'spa',
          redirectUris: ['https://spa.example/cb'],
          postLogoutRedirectUris: [],
          clientCredentials: true,
        }),
      UsageError,
    );
    assert.deepEqual(
      clientMetadata({
        id: 'batch',
        secret,
        redirectUris: ['https://batch.example/cb'],
        postLogoutRedirectUris: [],
        clientCredentials: true,
      }).grant_types,
      ['authorization_code', 'refresh_token', 'client_credentials'],
    );
  });
});
