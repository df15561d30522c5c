/**
 * Fault: two server instances on one PostgreSQL database, each caching
 * services and keys in memory (issue 16). A change by the CLI must be seen
 * by the very next request to either instance, also when the instances'
 * LISTEN connections were just cut (pg_terminate_backend): then they read
 * from the database until they listen again.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { listenerName } from '../../src/platform/db/postgres-listener.ts';
import {
  childEnv,
  createScratchDatabase,
  dropScratchDatabase,
  freePort,
  queryScratch,
  runCli,
} from '../e2e/helpers/server.ts';
import { launchServer, type ServerProcess } from './helpers/server-process.ts';

const clientId = 'cache-fault-client';
const secret = () => randomBytes(24).toString('base64url');

let scratch: { name: string; url: string } | undefined;
let instances: ServerProcess[] = [];
let cliEnv: NodeJS.ProcessEnv = {};
let setupFailure: unknown;

before(async () => {
  try {
    scratch = await createScratchDatabase();
    const ports = [await freePort(), await freePort()];
    const envFor = (port: number) =>
      childEnv({
        DATABASE_URL: scratch?.url ?? '',
        PORT: String(port),
        HOST: '127.0.0.1',
        PUBLIC_URL: `http://127.0.0.1:${port}`,
        LOG_LEVEL: 'warn',
        START_EXAMPLE: 'false',
      });
    cliEnv = envFor(ports[0] ?? 0);
    const started = await Promise.allSettled(ports.map((port) => launchServer(envFor(port), port)));
    instances = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    for (const s of started) if (s.status === 'rejected') throw s.reason;
  } catch (error) {
    setupFailure = error;
  }
});

after(async () => {
  for (const instance of instances) await instance.stop();
  if (scratch) await dropScratchDatabase(scratch.name);
});

function ready(): { a: ServerProcess; b: ServerProcess; url: string } {
  if (setupFailure !== undefined) throw setupFailure;
  const [a, b] = instances;
  assert.ok(a && b && scratch, 'the set-up did not run');
  return { a, b, url: scratch.url };
}

/** A client_credentials grant: how oidc-provider finds the client (the adapter's cached lookup). */
async function grant(instance: ServerProcess, clientSecret: string): Promise<number> {
  const response = await fetch(`${instance.baseUrl}/oidc/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials',
  });
  await response.body?.cancel();
  return response.status;
}

/** Asks both instances twice (the second answer comes from memory); returns the statuses. */
async function grantEverywhere(clientSecret: string): Promise<number[]> {
  const { a, b } = ready();
  const statuses: number[] = [];
  for (const instance of [a, b, a, b]) statuses.push(await grant(instance, clientSecret));
  return statuses;
}

const registerArgs = (clientSecret: string) => [
  'client',
  'add',
  '--id',
  clientId,
  `--secret=${clientSecret}`,
  '--redirect-uri',
  'https://cache-fault.example/cb',
  '--client-credentials',
];

async function listeners(url: string): Promise<number> {
  const [row] = await queryScratch<{ n: number }>(
    url,
    'SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()',
    [listenerName],
  );
  return row?.n ?? 0;
}

describe('two instances with caches on one database', () => {
  test('client add, update and remove by the CLI: the very next request to either instance sees it', async () => {
    const first = secret();
    assert.deepEqual(await grantEverywhere(first), [401, 401, 401, 401], 'not registered yet');
    await runCli(registerArgs(first), cliEnv);
    assert.deepEqual(await grantEverywhere(first), [200, 200, 200, 200], 'registered: found at once');
    const second = secret();
    await runCli(['client', 'update', '--id', clientId, `--secret=${second}`], cliEnv);
    assert.deepEqual(await grantEverywhere(first), [401, 401, 401, 401], 'the replaced secret is refused at once');
    assert.deepEqual(await grantEverywhere(second), [200, 200, 200, 200]);
    await runCli(['client', 'remove', '--id', clientId, '--yes'], cliEnv);
    assert.deepEqual(await grantEverywhere(second), [401, 401, 401, 401], 'removed: refused at once');
  });

  test('keys rotate by the CLI: both instances publish the new keys with the next request', async () => {
    const { a, b } = ready();
    const jwks = async (instance: ServerProcess) =>
      ((await (await fetch(`${instance.baseUrl}/oidc/jwks`)).json()) as { keys: { kid: string }[] }).keys.map(
        (k) => k.kid,
      );
    const metadataKeys = async (instance: ServerProcess) =>
      (await (await fetch(`${instance.baseUrl}/saml/metadata`)).text()).match(/<(?:md:)?KeyDescriptor[\s>]/g)?.length ??
      0;
    const before = await jwks(a);
    assert.deepEqual(await jwks(b), before);
    const samlBefore = await metadataKeys(a);
    assert.equal(await metadataKeys(b), samlBefore);
    await runCli(['keys', 'rotate'], cliEnv);
    const [afterA, afterB] = [await jwks(a), await jwks(b)];
    assert.equal(afterA.length, before.length * 2, 'new keys beside the old ones');
    assert.deepEqual(afterB, afterA, 'both instances publish the same keys');
    assert.deepEqual(afterA.slice(before.length).sort(), [...before].sort(), 'the old keys come after the new ones');
    assert.equal(await metadataKeys(a), samlBefore * 2);
    assert.equal(await metadataKeys(b), samlBefore * 2);
  });

  test('a cut LISTEN connection: no stale answer while it is down, and the caches work again once it is back', async (t) => {
    const { url } = ready();
    const first = secret();
    await runCli(registerArgs(first), cliEnv);
    assert.deepEqual(await grantEverywhere(first), [200, 200, 200, 200], 'cached on both');
    assert.equal(await listeners(url), 2, 'one LISTEN connection per instance');
    // pg_terminate_backend with a timeout waits until the backends are gone (PostgreSQL 14+).
    await queryScratch(
      url,
      'SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()',
      [listenerName],
    );
    // Changed at once, with no listener to hear it: the instances must not answer from memory.
    const second = secret();
    await queryScratch(
      url,
      `UPDATE services SET config = jsonb_set(config, '{client_secret}', to_jsonb($1::text)) WHERE id = $2`,
      [second, clientId],
    );
    assert.deepEqual(await grantEverywhere(first), [401, 401, 401, 401], 'the old secret is refused during the cut');
    assert.deepEqual(await grantEverywhere(second), [200, 200, 200, 200]);
    const started = Date.now();
    while ((await listeners(url)) < 2) {
      assert.ok(Date.now() - started < 15_000, 'both instances listen again');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    t.diagnostic(`both instances listened again within ${Date.now() - started} ms`);
    const third = secret();
    await runCli(['client', 'update', '--id', clientId, `--secret=${third}`], cliEnv);
    assert.deepEqual(await grantEverywhere(second), [401, 401, 401, 401], 'a change after the cut is heard');
    assert.deepEqual(await grantEverywhere(third), [200, 200, 200, 200]);
  });

  test('neither instance answered with a server error', () => {
    for (const instance of instances) {
      const errors = instance
        .output()
        .split('\n')
        .filter((line) => /"level":(50|60)/.test(line));
      assert.deepEqual(errors, [], `errors in the log of ${instance.baseUrl}`);
    }
  });
});
