import { loadConfig, ConfigError } from './config/load.ts';
import { buildApp } from './app.ts';
import { openDatabase } from './platform/db/open.ts';
import { DataDirInUseError } from './platform/db/data-dir-lock.ts';
import { migrate } from './platform/db/migrate.ts';
import { startHousekeeping } from './platform/jobs/housekeeping.ts';
import { loadSiteContent } from './site/content.ts';
import { productionGaps } from './site/readiness.ts';
import { startMemoryTrim } from './platform/memory-trim.ts';
import { mayStartAgain, startAgain, typeStripperLoaded } from './platform/runtime-settings.ts';

/**
 * The server's start, after src/main.ts has set the heap up: config -> database -> migrations -> app -> listen ->
 * graceful close (STYLE.md layout). Exits the process with code 2 on an operator's error (configuration, pages,
 * data directory in use).
 */
export async function serve(): Promise<void> {
  let loaded;
  try {
    loaded = loadConfig();
    // The operator's pages are read here too, so a broken or unfinished one stops the start with exit code 2.
    const gaps = productionGaps(loaded.config.site, loadSiteContent(loaded.config.site, loaded.config.publicUrl));
    if (loaded.config.production && gaps.length > 0) {
      console.error(`Servicekonto: the operator's pages are not ready for production:\n- ${gaps.join('\n- ')}`);
      process.exit(2);
    }
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`Servicekonto: invalid configuration: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
  const { config, warnings } = loaded;

  let db;
  try {
    db = await openDatabase(config);
  } catch (error) {
    if (error instanceof DataDirInUseError) {
      console.error(`Servicekonto: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
  const migrated = await migrate(db);
  const { fastify, app } = await buildApp({ config, db });
  if ((migrated.length > 0 || typeStripperLoaded()) && mayStartAgain()) {
    // A first start (new database, new code) leaves its one-off work resident: the type stripper, the garbage of
    // migrations and key generation, the certificate library (issue 16 §4: idle RSS ≤ 120 MB). Done here, with
    // the SAML keys made too, it is left behind by a fresh process that finds everything in place (about a second
    // more, on such starts only).
    await app.saml.keys();
    await fastify.close();
    await db.close();
    startAgain();
  }
  // Development pages reachable from the network are an error-level warning: they hand out reset links.
  for (const warning of warnings) {
    if (warning.startsWith('DANGER:')) fastify.log.error(warning);
    else fastify.log.warn(warning);
  }

  app.jobs.start();
  const stopHousekeeping = startHousekeeping(app, fastify.log);
  const memoryTrim = startMemoryTrim(fastify.server, { log: fastify.log });
  await fastify.listen({ port: config.port, host: config.host });
  fastify.log.info(`Servicekonto ready at ${config.publicUrl} (database: ${db.kind})`);
  // SAML keys are made on first use; making them now spares the first SAML request the wait. Then the start's
  // garbage goes (platform/memory-trim.ts).
  app.saml.keys().then(
    () => memoryTrim.trimNow(),
    (error: unknown) => fastify.log.error({ err: error }, 'SAML keys could not be prepared'),
  );
  // Development only: src/dev is loaded by import() (eslint.config.js), never at a production start.
  const extras = config.startExample
    ? await (await import('./dev/start.ts')).startDevelopmentExtras(app, fastify.log)
    : undefined;

  let closing = false;
  const close = async (signal: string) => {
    if (closing) return;
    closing = true;
    fastify.log.info(`${signal} received; closing`);
    const timer = setTimeout(() => process.exit(1), 10_000);
    timer.unref();
    stopHousekeeping();
    memoryTrim.stop();
    await extras?.stop();
    await fastify.close();
    await db.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void close('SIGINT'));
  process.on('SIGTERM', () => void close('SIGTERM'));
}
