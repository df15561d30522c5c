import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort, nodeBinary } from '../../test/e2e/helpers/server.ts';
import { rssBytes } from '../lib/proc.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BareLoginSettings } from './bare-login.ts';
import { missingSettings } from '../../src/platform/runtime-settings.ts';

const script = fileURLToPath(new URL('./bare-provider.ts', import.meta.url));

export interface Baseline {
  pid: number;
  baseUrl: string;
  refreshTokens: string[];
  idleRssBytes: number;
  stop(): Promise<void>;
}

/**
 * Forks the bare oidc-provider (bare-provider.ts) and waits for its minted refresh tokens; with `login`, it answers
 * full logins too (bare-login.ts); with a profile folder, it writes a CPU profile there as the server does.
 */
export async function startBaseline(
  client: { id: string; secret: string; redirectUri: string },
  refreshTokens: number,
  profileDir?: string,
  login?: BareLoginSettings,
): Promise<Baseline> {
  const port = await freePort();
  // The runtime settings our server gives itself (src/platform/runtime-settings.ts: V8's young generation, glibc's
  // arenas and mmap threshold), so that the ratio compares the layers, not two runtimes.
  const runtime = missingSettings({ execArgv: [], env: {} });
  const child = fork(script, [], {
    execPath: nodeBinary,
    execArgv: [...runtime.flags, ...(profileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${profileDir}`])],
    env: { ...process.env, ...runtime.variables },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  child.send({
    port,
    clientId: client.id,
    clientSecret: client.secret,
    redirectUri: client.redirectUri,
    refreshTokens,
    ...(login ? { login } : {}),
  });
  // Hashing each account's password at start-up takes a while at real parameters.
  const startSeconds = 60 + (login?.accounts.length ?? 0) * 0.1;
  const tokens = await new Promise<string[]>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the bare oidc-provider did not start within ${startSeconds} s`)),
      startSeconds * 1000,
    );
    child.once('message', (message: { type: string; refreshTokens: string[] }) => {
      clearTimeout(timer);
      resolve(message.refreshTokens);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the bare oidc-provider exited with ${code}`));
    });
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error('the bare oidc-provider has no pid');
  await sleep(1000);
  return {
    pid,
    baseUrl: `http://localhost:${port}`,
    refreshTokens: tokens,
    idleRssBytes: rssBytes(pid),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
