import { randomBytes } from 'node:crypto';
import { inject } from 'light-my-request';
import { createHttpClient } from './lib/http.ts';
import { createServer } from 'node:http';
const http = createHttpClient(16);
import Provider from 'oidc-provider';
import { migrate } from '../src/platform/db/migrate.ts';
import { createPostgresDatabase } from '../src/platform/db/postgres.ts';
import { serviceRepository } from '../src/services/service-repository.ts';
import { createScratchDatabase, dropScratchDatabase } from '../test/e2e/helpers/server.ts';
import { buildTestApp } from '../test/helpers/test-app.ts';

const N = Number(process.env.N ?? 4000), C = 16;
const secret = 'x'.repeat(40);
const auth = `Basic ${Buffer.from(`cc-client:${secret}`).toString('base64')}`;
const req = { method: 'POST' as const, url: '/oidc/token', headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded', host: 'localhost' }, payload: 'grant_type=client_credentials' };

async function measure(name: string, send: () => Promise<number>) {
  for (let i = 0; i < 500; i++) if ((await send()) !== 200) throw new Error(name + ' failed');
  const c0 = process.cpuUsage(); const t0 = Date.now();
  let done = 0;
  await Promise.all(Array.from({ length: C }, async () => { while (done < N) { done++; const s = await send(); if (s !== 200) throw new Error(`${name} ${s}`); } }));
  const c = process.cpuUsage(c0);
  console.log(name, 'CPU µs per request', ((c.user + c.system) / N).toFixed(1), 'user', (c.user / N).toFixed(1), 'sys', (c.system / N).toFixed(1), 'wall ms', Date.now() - t0);
}

if (process.env.BARE) {
  const provider = new Provider('http://localhost', {
    clients: [{ client_id: 'cc-client', client_secret: secret, redirect_uris: ['https://x.example/cb'], grant_types: ['client_credentials'], response_types: [], token_endpoint_auth_method: 'client_secret_basic' }],
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    routes: { token: '/oidc/token' },
    features: { devInteractions: { enabled: false }, clientCredentials: { enabled: true } },
  });
  const cb = provider.callback();
  if (process.env.HTTP) {
    const server = createServer(cb as never).listen(45123);
    await new Promise((r) => server.once('listening', r));
    await measure('bare-http', async () => (await http.request(new URL('http://localhost:45123/oidc/token'), { method: 'POST', headers: req.headers, body: req.payload })).status);
    server.close(); http.close();
  } else await measure('bare', async () => (await inject(cb as never, req)).statusCode);
} else {
  const scratch = await createScratchDatabase();
  const db = createPostgresDatabase(scratch.url);
  await migrate(db);
  const t = await buildTestApp({ DATABASE_URL: scratch.url, LOG_LEVEL: 'warn' }, db);
  await serviceRepository(t.app.db).upsertOidc({ client_id: 'cc-client', client_secret: secret, redirect_uris: ['https://x.example/cb'], token_endpoint_auth_method: 'client_secret_basic', grant_types: ['client_credentials'], response_types: [] } as never, 'CC');
  if (process.env.HTTP) {
    await t.fastify.listen({ port: 45124, host: '127.0.0.1' });
    await measure('ours-http', async () => (await http.request(new URL('http://localhost:45124/oidc/token'), { method: 'POST', headers: req.headers, body: req.payload })).status);
    http.close();
  } else await measure('ours', async () => (await t.fastify.inject(req)).statusCode);
  await t.close(); await db.close().catch(() => {}); await dropScratchDatabase(scratch.name);
}
process.exit(0);
