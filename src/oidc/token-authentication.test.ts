import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AccessToken, ClientCredentials, KoaContextWithOIDC } from 'oidc-provider';
import { levelOfToken, loginOfGrantSource } from './token-authentication.ts';

const substantial = 'http://eidas.europa.eu/LoA/substantial';
const contextWith = (entities: Record<string, unknown>) => ({ oidc: { entities } }) as unknown as KoaContextWithOIDC;
const accessToken = { kind: 'AccessToken', accountId: 'a1' } as AccessToken;

test('an access token takes acr and auth_time from the code or refresh token being redeemed', () => {
  const code = { acr: substantial, authTime: 1700000000, accountId: 'a1' };
  assert.deepEqual(loginOfGrantSource(contextWith({ AuthorizationCode: code }), accessToken), {
    acr: substantial,
    auth_time: 1700000000,
  });
  assert.deepEqual(loginOfGrantSource(contextWith({ RefreshToken: code }), accessToken), {
    acr: substantial,
    auth_time: 1700000000,
  });
});

test('no login, no level: client credentials, another account, or no source', () => {
  const code = { acr: substantial, accountId: 'a1' };
  assert.equal(
    loginOfGrantSource(contextWith({ AuthorizationCode: code }), { kind: 'ClientCredentials' } as ClientCredentials),
    undefined,
  );
  assert.equal(
    loginOfGrantSource(contextWith({ AuthorizationCode: { ...code, accountId: 'a2' } }), accessToken),
    undefined,
  );
  assert.equal(loginOfGrantSource(contextWith({}), accessToken), undefined);
});

test('the level of a token: its own acr, else the one its extra recorded, else unknown', () => {
  assert.equal(levelOfToken({ acr: substantial }), 3);
  assert.equal(levelOfToken({ extra: { acr: 'http://eidas.europa.eu/LoA/low' } }), 2);
  assert.equal(levelOfToken({ extra: { acr: 'urn:someone:else' } }), undefined);
  assert.equal(levelOfToken({}), undefined);
  assert.equal(levelOfToken(undefined), undefined);
});
