// Resident memory of the server as the bench starts it (`node src/main.ts`, test/e2e/helpers/server.ts), issue 16 §4:
// a first start on an empty database, then a restart on the same data; each after a settling pause and after
// a few page requests. The figure is VmRSS, as the bench reports it.
//
//   node scripts/measure-memory.ts [--embedded] [--settle SECONDS]
//   --embedded   PGlite in a scratch data directory instead of PostgreSQL (development mode)
//   NODE_OPTIONS and MALLOC_* from the caller reach the server (to try settings by hand).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  childEnv,
  createScratchDatabase,
  dropScratchDatabase,
  freePort,
  startServer,
} from '../test/e2e/helpers/server.ts';
import { serverPid, residentBytes } from '../test/e2e/helpers/process-memory.ts';

const { values } = parseArgs({
  options: { embedded: { type: 'boolean', default: false }, settle: { type: 'string', default: '5' } },
});
const settleMs = Number(values.settle) * 1000;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const port = await freePort();
const dataDir = values.embedded ? mkdtempSync(join(tmpdir(), 'sk-memory-')) : undefined;
const database = values.embedded ? undefined : await createScratchDatabase();
const env = childEnv({
  ...(database ? { DATABASE_URL: database.url } : { DATA_DIR: dataDir ?? '', ALLOW_EMBEDDED_DB: 'true' }),
  PORT: String(port),
  HOST: '127.0.0.1',
  PUBLIC_URL: `http://localhost:${port}`,
  LOG_LEVEL: 'warn',
  START_EXAMPLE: 'false',
  EID_SIMULATOR: 'false',
});

try {
  for (const label of ['first start', 'restart']) {
    const server = await startServer(env, port);
    try {
      const pid = serverPid(port);
      await sleep(settleMs);
      const idle = residentBytes(pid);
      for (const path of ['/', '/login', '/login', '/.well-known/openid-configuration', '/saml/metadata']) {
        const response = await fetch(`${server.baseUrl}${path}`, { redirect: 'manual' });
        await response.arrayBuffer();
      }
      await sleep(1000);
      console.log(`${label}: idle ${mb(idle)}, after a few requests ${mb(residentBytes(pid))}`);
    } finally {
      await server.stop();
    }
  }
} finally {
  if (database) await dropScratchDatabase(database.name);
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}
