import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { fixedClock } from '../../platform/clock.ts';
import { secretBox } from '../../platform/crypto/secret-box.ts';
import { ensureSamlKeys, loadSamlKeys, publishAheadMs, retiredKeyOverlapMs, rotateSamlKeys } from './keys.ts';
import { migratedDatabase } from '../../../test/helpers/db-template.ts';

test('SAML keys: generated once per installation, sealed at rest, rotated with a publication lead and an overlap', async () => {
  const db = await migratedDatabase();
  const clock = fixedClock(new Date('2026-01-01T00:00:00Z'));
  const box = secretBox('installation-key');
  await ensureSamlKeys(db, clock, box);
  await ensureSamlKeys(db, clock, box);
  const ring = await loadSamlKeys(db, box);
  assert.deepEqual(
    ring.keys.map((k) => `${k.use}/${k.alg}`).sort(),
    ['encryption/RSA-3072', 'signing/EC-P256', 'signing/RSA-3072'],
    'three keys, not six',
  );

  const rsa = ring.signingKey('RSA-3072', clock.now());
  const certificate = new X509Certificate(rsa.certificatePem);
  assert.equal(certificate.publicKey.asymmetricKeyDetails?.modulusLength, 3072, 'TR-03116-4');
  assert.ok(certificate.checkPrivateKey(createPrivateKey(rsa.privateKeyPem)));
  assert.ok(certificate.verify(certificate.publicKey), 'self-signed');
  assert.ok(new Date(certificate.validTo).getUTCFullYear() >= 2035, 'ten years');
  assert.equal(
    new X509Certificate(ring.signingKey('EC-P256', clock.now()).certificatePem).publicKey.asymmetricKeyDetails
      ?.namedCurve,
    'prime256v1',
  );

  const stored = await db.query<{ private_key_sealed: string }>('SELECT private_key_sealed FROM saml_keys');
  assert.ok(
    stored.rows.every((r) => !r.private_key_sealed.includes('PRIVATE KEY')),
    'no plain PEM in the database',
  );
  await assert.rejects(loadSamlKeys(db, secretBox('another-installation')), 'another box cannot open them');

  clock.advance(60_000);
  const fresh = await rotateSamlKeys(db, clock, box);
  assert.equal(fresh.length, 3);
  const rotated = await loadSamlKeys(db, box);
  assert.equal(
    rotated.signingKey('RSA-3072', clock.now()).kid,
    rsa.kid,
    'the old key signs while the new one is only published',
  );
  assert.equal(rotated.published('signing', clock.now()).length, 4, 'both generations in the metadata');

  clock.advance(publishAheadMs);
  const newRsa = rotated.signingKey('RSA-3072', clock.now());
  assert.ok(fresh.includes(newRsa.kid), 'the new key signs once its lead has passed');
  assert.equal(
    rotated.published('encryption', clock.now()).length,
    2,
    'the old encryption key still decrypts during the overlap',
  );

  clock.advance(retiredKeyOverlapMs);
  assert.deepEqual(
    rotated
      .published('signing', clock.now())
      .map((k) => k.kid)
      .sort(),
    fresh.filter((kid) => rotated.keys.find((k) => k.kid === kid)?.use === 'signing').sort(),
  );
  assert.equal(rotated.published('encryption', clock.now()).length, 1);
  await db.close();
});
