import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPgliteDatabase } from '../platform/db/pglite.ts';
import { migrate } from '../platform/db/migrate.ts';
import { serviceRepository } from '../services/service-repository.ts';
import { registeredIdTokenAlg } from './client-registration.ts';

test('an update without --id-token-alg keeps what the service validates: the stored algorithm, or ES256 for a client stored before the option', async () => {
  const db = await createPgliteDatabase('memory://');
  try {
    await migrate(db);
    const services = serviceRepository(db);
    const client = {
      client_secret: 'x'.repeat(32),
      redirect_uris: ['https://a.example/cb'],
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: ['authorization_code'],
      response_types: ['code'],
    } as const;
    await services.upsertOidc(
      {
        ...client,
        client_id: 'older',
        redirect_uris: [...client.redirect_uris],
        grant_types: [...client.grant_types],
        response_types: [...client.response_types],
      },
      'Older',
    );
    await services.upsertOidc(
      {
        ...client,
        client_id: 'chosen',
        redirect_uris: [...client.redirect_uris],
        grant_types: [...client.grant_types],
        response_types: [...client.response_types],
        id_token_signed_response_alg: 'RS256',
      },
      'Chosen',
    );
    assert.equal(await registeredIdTokenAlg(db, 'older'), 'ES256');
    assert.equal(await registeredIdTokenAlg(db, 'chosen'), 'RS256');
    assert.equal(await registeredIdTokenAlg(db, 'new'), undefined, 'a new client gets the default');
  } finally {
    await db.close();
  }
});
