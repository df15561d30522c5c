import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UsageError } from './args.ts';
import { clientMetadata, type ClientInput } from './client-metadata.ts';

const base: ClientInput = { id: 'fees', redirectUris: ['https://fees.example/cb'], postLogoutRedirectUris: [] };
const secret = 'x'.repeat(32);
const publicKey = {
  kty: 'EC',
  crv: 'P-256',
  x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU',
  y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0',
};

test('defaults: RS256 ID tokens (OIDC Registration §2), a pairwise subject, client_secret_basic with a secret and none without', () => {
  const confidential = clientMetadata({ ...base, secret });
  assert.equal(confidential.id_token_signed_response_alg, 'RS256');
  assert.equal(confidential.subject_type, 'pairwise');
  assert.equal(confidential.token_endpoint_auth_method, 'client_secret_basic');
  assert.equal(clientMetadata(base).token_endpoint_auth_method, 'none');
});

test('the options: --id-token-alg, --jwks (private_key_jwt), --jwks-uri, client_secret_jwt, --subject-type public', () => {
  assert.equal(clientMetadata({ ...base, secret, idTokenAlg: 'ES256' }).id_token_signed_response_alg, 'ES256');
  const keys = clientMetadata({ ...base, jwks: { keys: [publicKey] }, clientCredentials: true });
  assert.equal(keys.token_endpoint_auth_method, 'private_key_jwt', 'keys without a secret mean private_key_jwt');
  assert.deepEqual(keys.jwks, { keys: [publicKey] });
  assert.ok(keys.grant_types.includes('client_credentials'), 'a client with keys is confidential');
  assert.equal(
    clientMetadata({ ...base, jwksUri: 'https://fees.example/jwks', tokenAuthMethod: 'private_key_jwt' }).jwks_uri,
    'https://fees.example/jwks',
  );
  assert.equal(
    clientMetadata({ ...base, secret, tokenAuthMethod: 'client_secret_jwt' }).token_endpoint_auth_method,
    'client_secret_jwt',
  );
  // A public subject has no pseudonym sector, so the redirect hosts may differ.
  const open = clientMetadata({
    ...base,
    secret,
    subjectType: 'public',
    redirectUris: ['https://a.example/cb', 'https://b.example/cb'],
  });
  assert.equal(open.subject_type, 'public');
});

test('what cannot be registered is refused with a message', () => {
  const refused: [Partial<ClientInput>, RegExp][] = [
    [{ secret, idTokenAlg: 'HS256' }, /--id-token-alg must be one of ES256, RS256/],
    [{ secret, idTokenAlg: 'PS256' }, /--id-token-alg/],
    [
      { secret, tokenAuthMethod: 'client_secret_post' },
      /--token-auth-method must be one of client_secret_basic, client_secret_jwt, private_key_jwt/,
    ],
    [{ tokenAuthMethod: 'client_secret_jwt' }, /needs --secret/],
    [{ tokenAuthMethod: 'private_key_jwt' }, /--jwks-uri URL or --jwks FILE/],
    [{ secret, jwks: { keys: [publicKey] }, tokenAuthMethod: 'private_key_jwt' }, /not --secret/],
    [{ jwks: { keys: [{ ...publicKey, d: 'private' }] } }, /public keys only/],
    [{ jwks: { keys: [] } }, /JWK Set/],
    [{ jwks: { keys: [publicKey] }, jwksUri: 'https://fees.example/jwks' }, /not both/],
    [{ jwksUri: 'http://fees.example/jwks' }, /--jwks-uri .* must use https/],
    [{ secret, tokenAuthMethod: 'none' }, /public client/],
    [{ secret, subjectType: 'shared' }, /--subject-type/],
    [{ secret, redirectUris: ['https://a.example/cb', 'https://b.example/cb'] }, /share one host/],
    [{ clientCredentials: true }, /confidential client/],
  ];
  for (const [input, message] of refused) {
    assert.throws(
      () => clientMetadata({ ...base, ...input }),
      (error: unknown) => error instanceof UsageError && message.test(error.message),
      JSON.stringify(input),
    );
  }
});
