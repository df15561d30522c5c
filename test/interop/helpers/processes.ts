import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { exited } from '../../e2e/helpers/server.ts';

/** A child process of the harness: its output kept, stopped with a bounded wait. */
export interface Child {
  name: string;
  process: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/**
 * Process groups still running: killed when this process ends in any way, so that no Apache, shibd or PHP outlives an
 * interrupted run.
 */
const liveGroups = new Set<number>();

function killLiveGroups(): void {
  for (const pid of liveGroups) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  liveGroups.clear();
}

process.once('exit', killLiveGroups);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    killLiveGroups();
    process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1));
  });
}

/**
 * Starts a program in its own process group (so that Apache's or PHP's
 * workers go with it); stop() sends SIGTERM to the group, then SIGKILL
 * after five seconds.
 */
export function startChild(
  name: string,
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; uid?: number; gid?: number } = {},
): Child {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
    uid: options.uid,
    gid: options.gid,
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.on('error', (error) => (output += `\n[${name}] ${error.message}\n`));
  if (child.pid !== undefined) liveGroups.add(child.pid);
  child.once('exit', () => {
    if (child.pid !== undefined) liveGroups.delete(child.pid);
  });
  const signalGroup = (signal: NodeJS.Signals): void => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, signal);
    } catch {
      // Already gone.
    }
  };
  return {
    name,
    process: child,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) {
        signalGroup('SIGKILL');
        return;
      }
      signalGroup('SIGTERM');
      if (!(await exited(child, 5_000))) {
        signalGroup('SIGKILL');
        await exited(child, 3_000);
      }
    },
  };
}

/** Runs a command to completion (bounded); throws with its output on failure. */
export async function run(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; uid?: number; gid?: number } = {},
): Promise<string> {
  const child = startChild(command, command, args, options);
  const done = await exited(child.process, options.timeoutMs ?? 60_000);
  if (!done) {
    await child.stop();
    throw new Error(`${command} ${args.join(' ')} did not finish in time:\n${child.output()}`);
  }
  if (child.process.exitCode !== 0)
    throw new Error(`${command} ${args.join(' ')} exited with ${child.process.exitCode}:\n${child.output()}`);
  return child.output();
}

/** Waits until `url` answers at all (any status), or throws with what the children printed. */
export async function waitForHttp(url: string, children: Child[], timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const child of children) {
      if (child.process.exitCode !== null && child.process.exitCode !== 0)
        throw new Error(`${child.name} exited with ${child.process.exitCode}:\n${child.output()}`);
    }
    try {
      const response = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(2_000) });
      await response.body?.cancel();
      return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline)
      throw new Error(
        `${url} did not answer within ${timeoutMs} ms:\n${children.map((c) => `[${c.name}]\n${c.output()}`).join('\n')}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The end of a log file (for failure messages), or a note that there is none. */
export async function tail(path: string, lines = 40): Promise<string> {
  try {
    return (await readFile(path, 'utf8')).split('\n').slice(-lines).join('\n');
  } catch {
    return `(no ${path})`;
  }
}
