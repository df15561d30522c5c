import { chown, mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort } from '../../e2e/helpers/server.ts';
import { startChild, tail, waitForHttp, type Child } from './processes.ts';

const modules = '/usr/lib/apache2/modules';

/** nobody:nogroup on Debian: when the harness runs as root, Apache and shibd run as this user. */
const unprivileged = { uid: 65534, gid: 65534 };

/** The uid and gid the stack's daemons run as: nobody when we are root, else ourselves. */
export function daemonIdentity(): { uid: number; gid: number } | undefined {
  return process.getuid?.() === 0 ? unprivileged : undefined;
}

/**
 * Hands a directory tree to the daemons' user (only when we are root), so that they can read their config and write
 * their logs.
 */
export async function handOver(path: string): Promise<void> {
  const identity = daemonIdentity();
  if (!identity) return;
  await chown(path, identity.uid, identity.gid);
  if (!(await stat(path)).isDirectory()) return;
  for (const entry of await readdir(path)) await handOver(join(path, entry));
}

export interface Apache {
  port: number;
  base: string;
  dir: string;
  child: Child;
  errorLog(): Promise<string>;
  stop(): Promise<void>;
}

/**
 * A self-contained Apache: its own ServerRoot in `dir`, one Listen on a
 * free 127.0.0.1 port, its own pid file, runtime directory and logs,
 * nothing of /etc/apache2 read and no system service touched. `site` is the
 * configuration of the stack (its modules' directives and Locations);
 * `extraModules` are loaded besides the base set.
 */
export async function startApache(options: {
  dir: string;
  port?: number;
  extraModules: Record<string, string>;
  site: (base: string) => string;
  env?: NodeJS.ProcessEnv;
}): Promise<Apache> {
  const port = options.port ?? (await freePort());
  const base = `http://127.0.0.1:${port}`;
  const { dir } = options;
  for (const sub of ['logs', 'run', 'htdocs']) await mkdir(join(dir, sub), { recursive: true });
  const baseModules: Record<string, string> = {
    mpm_event_module: 'mod_mpm_event.so',
    authn_core_module: 'mod_authn_core.so',
    authz_core_module: 'mod_authz_core.so',
    authz_user_module: 'mod_authz_user.so',
    mime_module: 'mod_mime.so',
    include_module: 'mod_include.so',
    dir_module: 'mod_dir.so',
    env_module: 'mod_env.so',
    ...options.extraModules,
  };
  const loads = Object.entries(baseModules)
    .map(([name, file]) => `LoadModule ${name} ${file.startsWith('/') ? file : join(modules, file)}`)
    .join('\n');
  const config = `ServerRoot "${dir}"
ServerName 127.0.0.1:${port}
Listen 127.0.0.1:${port}
PidFile "${dir}/run/httpd.pid"
DefaultRuntimeDir "${dir}/run"
ErrorLog "${dir}/logs/error.log"
LogLevel info
${loads}
TypesConfig /etc/mime.types
StartServers 1
ServerLimit 2
ThreadsPerChild 10
MaxRequestWorkers 20
MinSpareThreads 5
MaxSpareThreads 20
DocumentRoot "${dir}/htdocs"
DirectoryIndex index.html
<Directory "${dir}/htdocs">
  Options +Includes
  AddOutputFilter INCLUDES .shtml
  AddType text/html .shtml
  Require all granted
</Directory>
${options.site(base)}
`;
  await writeFile(join(dir, 'httpd.conf'), config);
  await writeFile(join(dir, 'htdocs', 'index.html'), '<!doctype html><p>public</p>\n');
  await handOver(dir);
  const identity = daemonIdentity();
  const child = startChild('apache2', '/usr/sbin/apache2', ['-f', join(dir, 'httpd.conf'), '-D', 'FOREGROUND'], {
    cwd: dir,
    env: { ...process.env, ...options.env },
    ...identity,
  });
  const errorLog = (): Promise<string> => tail(join(dir, 'logs', 'error.log'), 60);
  try {
    await waitForHttp(`${base}/`, [child], 20_000);
  } catch (error) {
    await child.stop();
    throw new Error(`${(error as Error).message}\n${await errorLog()}`, { cause: error });
  }
  return { port, base, dir, child, errorLog, stop: () => child.stop() };
}

/**
 * A page that shows the request's environment (where mod_auth_mellon and mod_shib put the attributes): server-side
 * includes, part of Apache.
 */
export const printenvPage = '<!doctype html><html><body><pre id="environment"><!--#printenv --></pre></body></html>\n';

/** The value of one variable on the printenv page (`NAME=value` lines; SSI escapes HTML). */
export function printenvValue(markup: string, name: string): string | undefined {
  for (const line of markup.split('\n')) {
    const cleaned = line.replace(/<[^>]*>/g, '');
    if (cleaned.startsWith(`${name}=`))
      return cleaned
        .slice(name.length + 1)
        .replaceAll('&amp;', '&')
        .trim();
  }
  return undefined;
}
