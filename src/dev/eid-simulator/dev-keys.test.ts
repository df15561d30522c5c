import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signEnvelope, verifyEnvelope } from '../../methods/eid/soap/ws-security.ts';
import { useIdRequestElement } from '../../methods/eid/soap/use-id.ts';
import { ensureDevEidKeys } from './dev-keys.ts';

test('ensureDevEidKeys: two racing first calls agree on one pair each; keys 0600; later calls read the files', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'eid-dev-keys-'));
  t.after(() => rm(dataDir, { recursive: true, force: true }));
  const [a, b] = await Promise.all([ensureDevEidKeys(dataDir), ensureDevEidKeys(dataDir)]);
  assert.deepEqual(a, b);
  assert.notEqual(a.simulator.certificatePem, a.client.certificatePem);
  const dir = join(dataDir, 'eid-dev');
  assert.deepEqual((await readdir(dir)).sort(), [
    'client-cert.pem',
    'client-key.pem',
    'simulator-cert.pem',
    'simulator-key.pem',
  ]);
  assert.equal((await stat(join(dir, 'simulator-key.pem'))).mode & 0o777, 0o600);
  assert.equal((await stat(join(dir, 'client-key.pem'))).mode & 0o777, 0o600);
  assert.deepEqual(await ensureDevEidKeys(dataDir), a);
  // Usable as the WS-Security SigningKey.
  const signed = signEnvelope(
    useIdRequestElement({ useOperations: { RestrictedID: 'REQUIRED' } }),
    a.client,
    new Date(),
  );
  assert.equal(verifyEnvelope(signed, [a.client.certificatePem], new Date()).message.localName, 'useIDRequest');
});

test('ensureDevEidKeys: a key that does not match its certificate is refused with a clear message', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'eid-dev-keys-'));
  t.after(() => rm(dataDir, { recursive: true, force: true }));
  const keys = await ensureDevEidKeys(dataDir);
  await writeFile(join(dataDir, 'eid-dev', 'client-cert.pem'), keys.simulator.certificatePem);
  await assert.rejects(ensureDevEidKeys(dataDir), /does not belong to .*client-cert\.pem; delete both/);
});
