import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FastifyBaseLogger } from 'fastify';
import type { AppContext } from '../context.ts';
import { installationSecret } from '../platform/crypto/installation-secrets.ts';

export const exampleClientId = 'elternbeitraege';

/** Registers the example as an OIDC client; idempotent, with a secret generated per installation. */
export async function registerExampleClient(app: AppContext): Promise<{ clientSecret: string; baseUrl: string }> {
  const baseUrl = `http://localhost:${app.config.examplePort}`;
  const clientSecret = await installationSecret(app.db, 'example_client_secret');
  await app.services.upsertOidc(
    {
      client_id: exampleClientId,
      client_secret: clientSecret,
      client_name: 'Elternbeiträge Online',
      client_uri: `${baseUrl}/`,
      redirect_uris: [`${baseUrl}/callback`],
      post_logout_redirect_uris: [`${baseUrl}/`, `${baseUrl}/?abgemeldet=1`],
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      subject_type: 'pairwise',
    },
    'Elternbeiträge Online',
    'Stadt Musterstadt, Jugendamt',
  );
  return { clientSecret, baseUrl };
}

/** Starts the example as its own process, as a municipality would run its service. */
export function startExampleProcess(env: Record<string, string>, log: FastifyBaseLogger): { stop(): Promise<void> } {
  const entry = fileURLToPath(new URL('../../examples/elternbeitraege/server.ts', import.meta.url));
  const child: ChildProcess = spawn(process.execPath, [entry], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  child.on('exit', (code, signal) => {
    if (code !== 0 && signal !== 'SIGTERM') log.warn({ code, signal }, 'the example online service stopped');
  });
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
