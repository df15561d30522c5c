import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  childEnv,
  createScratchDatabase,
  dropScratchDatabase,
  freePort,
  runCli,
  startServer,
  type RunningServer,
} from '../../e2e/helpers/server.ts';

/** Our server as a service provider's integrator meets it: its base URL and its metadata, nothing else. */
export interface Idp {
  baseUrl: string;
  /** Our entityID, which is also the URL of our metadata. */
  metadataUrl: string;
  metadataXml: string;
  citizen: { username: string; password: string };
  /**
   * Registers a service exactly as the issue asks: `servicekonto sp add --metadata FILE` and nothing else. Returns the
   * CLI's output.
   */
  addServiceProvider(metadataXml: string): Promise<string>;
  /** The server's log without the lines of requests that went well, for failure messages. */
  notableLog(): string;
  stop(): Promise<void>;
}

/**
 * Starts `node src/main.ts` on a scratch PostgreSQL database, as test/e2e
 * does: plain http on a free loopback port, NODE_ENV=development (http
 * entityIDs and endpoints on localhost are allowed only there), no example
 * services; and creates one citizen with the operator CLI.
 */
export async function startIdp(workDir: string): Promise<Idp> {
  const scratch = await createScratchDatabase();
  let server: RunningServer | undefined;
  try {
    const port = await freePort();
    const baseUrl = `http://localhost:${port}`;
    const env = childEnv({
      DATABASE_URL: scratch.url,
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: baseUrl,
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      START_EXAMPLE: 'false',
    });
    server = await startServer(env, port);
    const response = await fetch(`${baseUrl}/saml/metadata`);
    if (response.status !== 200) throw new Error(`GET /saml/metadata answered ${response.status}`);
    const metadataXml = await response.text();
    const metadataUrl = /entityID="([^"]+)"/.exec(metadataXml)?.[1] ?? '';
    const citizen = {
      username: `erika_${randomBytes(4).toString('hex')}`,
      password: 'Erika hat ein langes Passwort 42',
    };
    await runCli(
      [
        'user',
        'create',
        '--username',
        citizen.username,
        '--email',
        `${citizen.username}@example.org`,
        '--password',
        citizen.password,
        '--verified',
      ],
      env,
    );
    const running = server;
    let registered = 0;
    return {
      baseUrl,
      metadataUrl,
      metadataXml,
      citizen,
      async addServiceProvider(spMetadataXml) {
        const file = join(workDir, `sp-metadata-${++registered}.xml`);
        await writeFile(file, spMetadataXml);
        return runCli(['sp', 'add', '--metadata', file], env);
      },
      notableLog() {
        return running
          .output()
          .split('\n')
          .filter(
            (line) =>
              line.trim() !== '' && !/"msg":"incoming request"/.test(line) && !/"statusCode":[123]\d\d/.test(line),
          )
          .slice(-25)
          .join('\n');
      },
      async stop() {
        await running.stop();
        await dropScratchDatabase(scratch.name);
      },
    };
  } catch (error) {
    await server?.stop();
    await dropScratchDatabase(scratch.name);
    throw error;
  }
}
