import { spawn, type ChildProcess } from 'node:child_process';
import { nodeBinary, repoRoot } from '../../e2e/helpers/server.ts';

/**
 * The real server (`node src/main.ts`) as a child process the fault tests may
 * kill: unlike the end-to-end helper's server it exposes the process, so a
 * test can send SIGKILL at a chosen moment and watch whether it died on its own.
 */
export interface ServerProcess {
  baseUrl: string;
  pid: number;
  /** Everything the server wrote to stdout and stderr. */
  output(): string;
  /** Exit code or signal once the process has ended, undefined while it runs. */
  exit(): { code: number | null; signal: NodeJS.Signals | null } | undefined;
  /** `kill -9`: no shutdown hook runs, open transactions are cut off. */
  kill9(): Promise<void>;
  /** SIGTERM (graceful close), SIGKILL after 10 s. */
  stop(): Promise<void>;
}

function ended(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

async function exited(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (ended(child)) return true;
  return new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** Polls GET /readyz until it answers 200; returns the milliseconds it took. */
export async function waitReady(
  baseUrl: string,
  timeoutMs: number,
  alive: () => boolean = () => true,
): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (!alive()) throw new Error(`the server at ${baseUrl} exited while waiting for /readyz`);
    try {
      const response = await fetch(`${baseUrl}/readyz`, { signal: AbortSignal.timeout(2_000) });
      await response.body?.cancel();
      if (response.status === 200) return Date.now() - started;
    } catch {
      // Not listening, or the database is not back yet.
    }
    if (Date.now() - started > timeoutMs)
      throw new Error(`${baseUrl}/readyz did not answer 200 within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Starts `node src/main.ts` with `env` on `port` and waits until /readyz answers 200. */
export async function launchServer(env: NodeJS.ProcessEnv, port: number, timeoutMs = 30_000): Promise<ServerProcess> {
  const child = spawn(nodeBinary, ['src/main.ts'], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  if (child.pid === undefined) throw new Error('the server process did not start');
  const server: ServerProcess = {
    baseUrl: `http://127.0.0.1:${port}`,
    pid: child.pid,
    output: () => output,
    exit: () => (ended(child) ? { code: child.exitCode, signal: child.signalCode } : undefined),
    async kill9() {
      if (ended(child)) return;
      child.kill('SIGKILL');
      await exited(child, 5_000);
    },
    async stop() {
      if (ended(child)) return;
      child.kill('SIGTERM');
      if (!(await exited(child, 10_000))) {
        child.kill('SIGKILL');
        await exited(child, 5_000);
      }
    },
  };
  try {
    await waitReady(server.baseUrl, timeoutMs, () => !ended(child));
  } catch (error) {
    await server.stop();
    throw new Error(`${(error as Error).message}:\n${output}`, { cause: error });
  }
  return server;
}
