/**
 * Issue 16 §4 asks for at most 120 MB resident when idle; the bench judges that (bench/verdicts.ts). This test guards
 * it against a regression: a server started as the bench starts it (`node src/main.ts` on PostgreSQL), after its start
 * and one login page. Measured at 115–116 MB here (scripts/measure-memory.ts: 115–118 MB idle after a restart,
 * 116–118 MB after a first start), but 122 MB in a CI run on a clean clone while other test files ran beside it: the
 * limit is 126 MB, above that variation and well below the 128 MB this guard held before the idle work of issue 16.
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

const limitBytes = 126 * 1024 * 1024;
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

test('idle RSS after a restart and one login page is at most 126 MB', async (t) => {
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
