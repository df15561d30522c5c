// npm postinstall: creates the embedded database (PGlite's initdb takes several
// seconds the first time) so that the first `npm start` is ready at once.
// Skipped when DATABASE_URL is set, in production, or when the folder exists.
import { existsSync } from 'node:fs';
import { loadConfig } from '../src/config/load.ts';
import { openDatabase } from '../src/platform/db/open.ts';
import { migrate } from '../src/platform/db/migrate.ts';

try {
  const { config } = loadConfig();
  if (!config.databaseUrl && !config.production && !existsSync(config.dataDir)) {
    const db = await openDatabase(config);
    await migrate(db);
    await db.close();
    console.log(`Prepared the embedded database in ${config.dataDir}.`);
  }
} catch (error) {
  // Never fail the install: `npm start` prepares the database itself and reports problems there.
  console.warn(`Skipped preparing the embedded database: ${(error as Error).message}`);
}
