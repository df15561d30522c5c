// The standalone simulator over real HTTP: a signed useID with the development client key, the PAOS stand-in,
// getResult.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEidClient } from '../../methods/eid/client.ts';
import { ensureDevEidKeys } from './dev-keys.ts';
import { startSimulator } from './main.ts';
import { paosProof } from './paos.ts';

const mainFile = fileURLToPath(new URL('./main.ts', import.meta.url));

test('startSimulator on port 0: useID signed with the dev client key, the PAOS stand-in at eCardServerAddress, then getResult', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'eid-sim-'));
  t.after(() => rm(dataDir, { recursive: true, force: true }));
  const simulator = await startSimulator({ port: 0, dataDir, sector: 'second-instance' });
  t.after(() => simulator.close());
  assert.match(simulator.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  const keys = await ensureDevEidKeys(dataDir);
  assert.equal(simulator.certificatePem, keys.simulator.certificatePem);

  const client = createEidClient({
    serverUrl: simulator.soapUrl,
    signingKey: keys.client,
    serverCertificates: [keys.simulator.certificatePem],
    allowHttp: true,
  });
  const useOperations = { GivenNames: 'REQUIRED', RestrictedID: 'REQUIRED' } as const;
  const started = await client.useID({ useOperations, transactionInfo: 'Test' });
  assert.equal(started.result.major, 'ok');
  assert.equal(started.eCardServerAddress, simulator.paosUrl);
  const psk = started.psk;
  const sessionId = started.session?.id;
  assert.ok(psk && sessionId);

  const paos = async (body: Record<string, unknown>) => {
    const response = await fetch(simulator.paosUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as unknown };
  };
  const describe = { action: 'describe' as const, sessionIdentifier: psk.id };
  assert.deepEqual(await paos({ ...describe, proof: paosProof(psk.key, describe) }), {
    status: 200,
    body: { transactionInfo: 'Test', required: ['GivenNames', 'RestrictedID'], allowed: [] },
  });
  assert.equal((await client.getResult(sessionId, 1)).result.minor?.endsWith('#noResultYet'), true);
  const read = { action: 'read' as const, sessionIdentifier: psk.id, cardId: 'erika' as const, pin: '123456' };
  assert.deepEqual(await paos({ ...read, proof: paosProof(psk.key, read) }), {
    status: 200,
    body: { status: 'done', refresh: { major: 'ok' } },
  });
  const result = await client.getResult(sessionId, 2, useOperations);
  assert.equal(result.result.major, 'ok');
  assert.equal(result.personalData?.givenNames, 'ERIKA');
  assert.match(result.personalData?.restrictedId?.id ?? '', /^[0-9A-F]{64}$/);
});

test('main.ts refuses NODE_ENV=production with exit code 2 and says why', async () => {
  const child = spawn(process.execPath, [mainFile, '--port', '0'], {
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  assert.equal(code, 2);
  assert.match(stderr, /refused under NODE_ENV=production/);
});

test('main.ts starts on --port 0 and names its EID_SERVER_URL', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'eid-sim-'));
  t.after(() => rm(dataDir, { recursive: true, force: true }));
  const child = spawn(process.execPath, [mainFile, '--port', '0', '--data-dir', dataDir], {
    env: { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolve(out);
    });
    child.on('exit', (code) => reject(new Error(`exited with ${code}`)));
  });
  assert.match(line, /EID_SERVER_URL=http:\/\/127\.0\.0\.1:\d+\/eid/);
  child.kill('SIGTERM');
  assert.equal(await exited, 0);
});
