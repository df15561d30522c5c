/**
 * Issue 16 §4 asks for at most 120 MB resident when idle; the bench judges that (bench/verdicts.ts). This test guards
 * it against a regression: a server started as the bench starts it (`node src/main.ts` on PostgreSQL), after its start
 * and one login page. The server trims its memory once its start is complete (src/platform/memory-trim.ts):
 * measured at 102–107 MB idle and 107 MB here after the page (scripts/measure-memory.ts; 116–120 MB before the trim).
 * Test files running beside it in CI added up to 6 MB before: the limit is 116 MB, above that and below the target.
 * Measured on a restart, as an operator's server restarts on its data; a first start executes itself again once its
 * one-off work is done (src/serve.ts), so it idles at about the same figure.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  childEnv,
  createScratchDatabase,
  dropScratchDatabase,
  freePort,
  startServer,
  type RunningServer,
} from './helpers/server.ts';
import { residentBytes, serverPid } from './helpers/process-memory.ts';

const limitBytes = 116 * 1024 * 1024;
let scratch: { name: string; url: string };
let server: RunningServer | undefined;
let port: number;

before(async () => {
  scratch = await createScratchDatabase();
  port = await freePort();
});

after(async () => {
  await server?.stop();
  await dropScratchDatabase(scratch.name);
});

test('idle RSS after a restart and one login page is at most 116 MB', async (t) => {
  const env = childEnv({
    DATABASE_URL: scratch.url,
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: `http://localhost:${port}`,
    LOG_LEVEL: 'warn',
    START_EXAMPLE: 'false',
    EID_SIMULATOR: 'false',
  });
  server = await startServer(env, port);
  // The SAML keys are made just after the server is ready (main.ts); let that finish before the restart.
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  await server.stop();

  server = await startServer(env, port);
  const page = await fetch(`${server.baseUrl}/login`);
  assert.equal(page.status, 200);
  await page.arrayBuffer();
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  const rss = residentBytes(serverPid(port));
  t.diagnostic(`idle RSS ${(rss / 1024 / 1024).toFixed(1)} MB`);
  assert.ok(rss <= limitBytes, `idle RSS ${(rss / 1024 / 1024).toFixed(1)} MB, allowed ${limitBytes / 1024 / 1024} MB`);
});
