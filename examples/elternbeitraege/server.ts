// Process entry of the example online service "Elternbeiträge Online".
import { buildExample } from './app.ts';
import { servicekonto } from './oidc.ts';

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    console.error(`Elternbeiträge Online: ${name} is required (see examples/elternbeitraege/README.md).`);
    process.exit(2);
  }
  return value;
}

const port = Number(process.env.PORT ?? 3001);
const baseUrl = (process.env.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/+$/, '');
const demo =
  process.env.DEMO_USERNAME && process.env.DEMO_PASSWORD
    ? { username: process.env.DEMO_USERNAME, password: process.env.DEMO_PASSWORD }
    : undefined;

const fastify = await buildExample({
  servicekonto: servicekonto({
    issuer: required('SERVICEKONTO_ISSUER'),
    clientId: required('CLIENT_ID'),
    clientSecret: required('CLIENT_SECRET'),
    baseUrl,
  }),
  baseUrl,
  dataFile: process.env.DATA_FILE ?? './data/elternbeitraege/submissions.json',
  secureCookies: baseUrl.startsWith('https:'),
  demo,
  logger: process.env.LOG_LEVEL === 'silent' ? false : { level: process.env.LOG_LEVEL ?? 'info' },
});
await fastify.listen({ port, host: process.env.HOST ?? '127.0.0.1' });
console.log(`Elternbeiträge Online ready at ${baseUrl}`);
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => void fastify.close().then(() => process.exit(0)));
