import type { FastifyBaseLogger } from 'fastify';
import type { AppContext } from '../context.ts';
import { ensureDemoAccount } from './demo-account.ts';
import { exampleClientId, registerExampleClient, startExampleProcess } from './example-service.ts';

/**
 * Development extras (never in production, DESIGN.md §6): the example online
 * service "Elternbeiträge Online", registered as a client, and a demo
 * citizen whose credentials are printed here and shown on the example.
 */
export async function startDevelopmentExtras(
  app: AppContext,
  log: FastifyBaseLogger,
): Promise<{ stop(): Promise<void> }> {
  const { clientSecret, baseUrl } = await registerExampleClient(app);
  const demo = await ensureDemoAccount(app);
  const example = startExampleProcess(
    {
      PORT: String(app.config.examplePort),
      PUBLIC_URL: baseUrl,
      SERVICEKONTO_ISSUER: app.config.publicUrl,
      CLIENT_ID: exampleClientId,
      CLIENT_SECRET: clientSecret,
      DEMO_USERNAME: demo.username,
      DEMO_PASSWORD: demo.password,
      DATA_FILE: `${app.config.dataDir}/elternbeitraege/submissions.json`,
      LOG_LEVEL: app.config.logLevel === 'silent' ? 'silent' : 'warn',
    },
    log,
  );
  console.log(
    [
      '',
      `  Servicekonto:           ${app.config.publicUrl}`,
      `  Example online service: ${baseUrl}  (Elternbeiträge Online)`,
      `  Demo citizen:           username ${demo.username}, password ${demo.password}`,
      `  Development mail:       ${app.config.publicUrl}/dev/mail`,
      '',
    ].join('\n'),
  );
  return example;
}
