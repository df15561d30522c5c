import { migrate } from '../../src/platform/db/migrate.ts';
import { createPostgresDatabase } from '../../src/platform/db/postgres.ts';
import { createScratchDatabase, dropScratchDatabase } from '../e2e/helpers/server.ts';
import { countingDatabase, type CountingDatabase } from './counting-database.ts';
import { buildTestApp, type TestApp } from './test-app.ts';

/**
 * The real app on a scratch PostgreSQL database of its own, behind the counting storage port: for the tests that
 * hold a request's round trips to a budget (issue 16). Closing it drops the database.
 */
export async function buildCountedPostgresApp(): Promise<{ t: TestApp; db: CountingDatabase }> {
  const scratch = await createScratchDatabase();
  const postgres = createPostgresDatabase(scratch.url);
  await migrate(postgres);
  const db = countingDatabase(postgres);
  const t = await buildTestApp({ DATABASE_URL: scratch.url }, db);
  return {
    db,
    t: {
      ...t,
      async close() {
        await t.close();
        await dropScratchDatabase(scratch.name);
      },
    },
  };
}
