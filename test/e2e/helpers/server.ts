import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

/** The repository root (test/e2e/helpers/ is three levels down). */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** Node 24 from the `node` package, never whatever `node` is first on PATH. */
export const nodeBinary = (() => {
  const local = fileURLToPath(new URL('../../../node_modules/.bin/node', import.meta.url));
  return existsSync(local) ? local : process.execPath;
})();

/** The operator CLI, as an operator runs it. */
export const cliPath = fileURLToPath(new URL('../../../bin/servicekonto.js', import.meta.url));

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Settings of the server (and the test runner's marker) that must not leak in from the caller's environment. */
const ownVariables = new Set([
  'DATABASE_URL',
  'DATA_DIR',
  'NODE_ENV',
  'PUBLIC_URL',
  'PORT',
  'HOST',
  'SMTP_URL',
  'MAIL_FROM',
  'TRUST_PROXY',
  'ALLOW_EMBEDDED_DB',
  'START_EXAMPLE',
  'LOG_LEVEL',
  'NODE_TEST_CONTEXT',
  'SITE_NAME',
  'SITE_ADDRESS',
  'SITE_EMAIL',
  'SITE_COLOR',
  'SITE_DIR',
]);

/** The environment for server and CLI: ours only, nothing inherited that changes behaviour. */
export function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const inherited = Object.entries(process.env).filter(
    ([name]) => !ownVariables.has(name) && !name.startsWith('ARGON2_'),
  );
  return { ...Object.fromEntries(inherited), ...extra };
}

/** Runs `bin/servicekonto.js …` to completion; throws with its output on a non-zero exit. */
export async function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  if (!existsSync(cliPath)) throw new Error(`the operator CLI ${cliPath} does not exist`);
  const child = spawn(nodeBinary, [cliPath, ...args], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (exitCode) => resolve(exitCode));
  });
  if (code !== 0) throw new Error(`servicekonto ${args.join(' ')} exited with ${code}:\n${output}`);
  return output;
}

export interface RunningServer {
  baseUrl: string;
  port: number;
  /** Everything the server wrote to stdout and stderr. */
  output(): string;
  stop(): Promise<void>;
}

/** Whether the child has exited within `timeoutMs` (also used by the interop harness's processes). */
export async function exited(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return true;
  return new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/**
 * Starts `node src/main.ts` and waits until GET /readyz answers 200. The default wait is generous: test files
 * run in parallel (test/run.ts), and on 2 busy cores a start with migrations and key generation took over 30 s.
 */
export async function startServer(env: NodeJS.ProcessEnv, port: number, timeoutMs = 120_000): Promise<RunningServer> {
  const baseUrl = `http://localhost:${port}`;
  const child = spawn(nodeBinary, ['src/main.ts'], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const server: RunningServer = {
    baseUrl,
    port,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      if (!(await exited(child, 10_000))) {
        child.kill('SIGKILL');
        await exited(child, 5_000);
      }
    },
  };

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `the server exited during start (code ${child.exitCode}, signal ${child.signalCode}):\n${output}`,
      );
    }
    try {
      const response = await fetch(`${baseUrl}/readyz`, { signal: AbortSignal.timeout(2_000) });
      await response.body?.cancel();
      if (response.status === 200) return server;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await server.stop();
      throw new Error(`the server was not ready within ${timeoutMs} ms:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** PostgreSQL on this machine: trust authentication, user postgres. */
export const postgresAdminUrl = process.env.E2E_POSTGRES_ADMIN_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

async function withAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: postgresAdminUrl, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `PostgreSQL at ${postgresAdminUrl} is required for the end-to-end test and could not be reached: ${(error as Error).message}`,
      { cause: error },
    );
  }
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A fresh, empty database; returns its name and URL. */
export async function createScratchDatabase(): Promise<{ name: string; url: string }> {
  const name = `sk_e2e_${randomBytes(6).toString('hex')}`;
  await withAdmin((client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(postgresAdminUrl);
  url.pathname = `/${name}`;
  return { name, url: url.href };
}

export async function dropScratchDatabase(name: string): Promise<void> {
  if (!/^sk_e2e_[0-9a-f]+$/.test(name)) throw new Error(`refusing to drop ${name}`);
  await withAdmin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

/** One query against a scratch database (PostgreSQL only; PGlite admits one process). */
export async function queryScratch<Row extends pg.QueryResultRow>(
  url: string,
  sql: string,
  params: unknown[] = [],
): Promise<Row[]> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return (await client.query<Row>(sql, params)).rows;
  } finally {
    await client.end();
  }
}
