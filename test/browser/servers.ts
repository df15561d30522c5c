import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  childEnv,
  createScratchDatabase,
  dropScratchDatabase,
  freePort,
  startServer,
  type RunningServer,
} from '../e2e/helpers/server.ts';
import { seedDataDir } from '../helpers/db-template.ts';

export interface ServiceWithExample {
  /** The Servicekonto's address. */
  base: string;
  /** The example online service "Elternbeiträge Online". */
  example: string;
  stop(): Promise<void>;
}

/**
 * The Servicekonto and the example online service, each in its own process, on a seeded data folder (as
 * `npm install` prepares ./data): the setting of the citizen's journeys in a real browser.
 */
export async function startWithExample(name: string, startTimeoutMs = 180_000): Promise<ServiceWithExample> {
  const dataDir = mkdtempSync(join(tmpdir(), `sk-${name}-`));
  await seedDataDir(dataDir);
  const port = await freePort();
  const examplePort = await freePort();
  const base = `http://localhost:${port}`;
  const example = `http://localhost:${examplePort}`;
  const server = await startServer(
    childEnv({
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: base,
      DATA_DIR: dataDir,
      START_EXAMPLE: 'true',
      EXAMPLE_PORT: String(examplePort),
      LOG_LEVEL: 'warn',
    }),
    port,
    // Generous: the machine running the suite may be busy with other servers.
    startTimeoutMs,
  );
  // The example is ready once its start page answers.
  for (let i = 0; i < 100; i++) {
    const ok = await fetch(example).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    base,
    example,
    async stop() {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface ServiceOnPostgres {
  /** The server's environment, for the CLI that prepares its data before the start too. */
  env: NodeJS.ProcessEnv;
  start(): Promise<RunningServer>;
  /** Drops the scratch database; stop the server first. */
  drop(): Promise<void>;
}

/**
 * A Servicekonto (no example service) on a scratch database of the real PostgreSQL: prepare its data with
 * `runCli(…, env)`, then `start()` it.
 */
export async function serviceOnPostgres(): Promise<ServiceOnPostgres> {
  const scratch = await createScratchDatabase();
  const port = await freePort();
  const env = childEnv({
    DATABASE_URL: scratch.url,
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: `http://localhost:${port}`,
    LOG_LEVEL: 'warn',
    START_EXAMPLE: 'false',
  });
  return { env, start: () => startServer(env, port), drop: () => dropScratchDatabase(scratch.name) };
}
