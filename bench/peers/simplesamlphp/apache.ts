import { spawn, type ChildProcess } from 'node:child_process';
import { chown, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { exited, freePort } from '../../../test/e2e/helpers/server.ts';

const modules = '/usr/lib/apache2/modules';
/** Debian's mod_php (libapache2-mod-php8.2, which the simplesamlphp package pulls in). */
export const modPhp = join(modules, 'libphp8.2.so');

/** nobody:nogroup on Debian: Apache does not run as root, so when the bench is root its Apache runs as nobody. */
const identity = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : undefined;

/** Gives a directory tree to the user Apache runs as (only when we are root). */
export async function handOver(path: string): Promise<void> {
  if (!identity) return;
  await chown(path, identity.uid, identity.gid);
  if (!(await stat(path)).isDirectory()) return;
  for (const entry of await readdir(path)) await handOver(join(path, entry));
}

export interface Apache {
  base: string;
  /** The parent process: its workers are its children, and it reaps them (treeMeter). */
  pid: number;
  errorLog(): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Apache as Debian runs PHP in it: the prefork MPM with mod_php (the PHP
 * module is not thread-safe, so Debian's php8.2 module config needs
 * prefork), PHP's apache2 php.ini and its opcache. Its own ServerRoot in
 * `dir`, one Listen on a free 127.0.0.1 port, no access log (our server
 * logs no request either at LOG_LEVEL=warn), nothing of /etc/apache2 read and no
 * system service touched. Enough workers for the load generator's
 * keep-alive connections (up to 4 × 16 in flight in the half-load phase),
 * none retired during a run.
 */
export async function startApache(options: {
  dir: string;
  documentRoot: string;
  /** Writes what the site needs, knowing the base URL; returns the environment PHP gets (SetEnv). */
  configure: (base: string) => Promise<Record<string, string>>;
}): Promise<Apache> {
  const { dir, documentRoot } = options;
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  for (const sub of ['logs', 'run']) await mkdir(join(dir, sub), { recursive: true });
  const env = await options.configure(base);
  const config = `ServerRoot "${dir}"
ServerName 127.0.0.1:${port}
Listen 127.0.0.1:${port}
PidFile "${dir}/run/httpd.pid"
DefaultRuntimeDir "${dir}/run"
ErrorLog "${dir}/logs/error.log"
LogLevel warn
LoadModule mpm_prefork_module ${modules}/mod_mpm_prefork.so
LoadModule authz_core_module ${modules}/mod_authz_core.so
LoadModule mime_module ${modules}/mod_mime.so
LoadModule dir_module ${modules}/mod_dir.so
LoadModule env_module ${modules}/mod_env.so
LoadModule php_module ${modPhp}
TypesConfig /etc/mime.types
StartServers 16
MinSpareServers 8
MaxSpareServers 80
ServerLimit 80
MaxRequestWorkers 80
MaxConnectionsPerChild 0
KeepAlive On
MaxKeepAliveRequests 0
KeepAliveTimeout 30
DocumentRoot "${documentRoot}"
${Object.entries(env)
  .map(([name, value]) => `SetEnv ${name} "${value}"`)
  .join('\n')}
<Directory "${documentRoot}">
  Require all granted
  DirectoryIndex index.php
</Directory>
<FilesMatch "\\.php$">
  SetHandler application/x-httpd-php
</FilesMatch>
`;
  await writeFile(join(dir, 'httpd.conf'), config);
  await handOver(dir);
  // Its own process group, so that stopping it (or this process ending) takes every worker along.
  const child: ChildProcess = spawn('/usr/sbin/apache2', ['-f', join(dir, 'httpd.conf'), '-D', 'FOREGROUND'], {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
    ...identity,
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const group = (signal: NodeJS.Signals) => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, signal);
    } catch {
      // Already gone.
    }
  };
  const killOnExit = () => group('SIGKILL');
  process.once('exit', killOnExit);
  const errorLog = async () => {
    let log = '';
    try {
      log = (await readFile(join(dir, 'logs', 'error.log'), 'utf8')).split('\n').slice(-40).join('\n');
    } catch {
      // No log yet.
    }
    return `${stderr}\n${log}`.trim();
  };
  const stop = async () => {
    process.removeListener('exit', killOnExit);
    if (child.exitCode !== null || child.signalCode !== null) return group('SIGKILL');
    // SIGTERM to the parent alone: Apache stops its workers itself (a graceless stop, its "apachectl -k stop").
    child.kill('SIGTERM');
    if (!(await exited(child, 10_000))) {
      group('SIGKILL');
      await exited(child, 3_000);
    }
  };
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`apache2 exited with ${child.exitCode}:\n${await errorLog()}`);
    try {
      const response = await fetch(`${base}/`, { redirect: 'manual', signal: AbortSignal.timeout(2_000) });
      await response.body?.cancel();
      break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`apache2 did not answer at ${base} within 20 s:\n${await errorLog()}`);
    }
    await sleep(200);
  }
  if (child.pid === undefined) throw new Error('apache2 has no pid');
  return { base, pid: child.pid, errorLog, stop };
}
