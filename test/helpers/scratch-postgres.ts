import { after, before } from 'node:test';
import type { Database } from '../../src/platform/db/database.ts';
import { createPostgresDatabase } from '../../src/platform/db/postgres.ts';
import { createScratchDatabase, dropScratchDatabase } from '../e2e/helpers/server.ts';

/**
 * A database of its own on the machine's PostgreSQL for the tests of a file or suite: made with a handle on it in
 * `before`, then readied by `prepare` (`migrate` for the project's schema), closed and dropped in `after`. Call it
 * where the hooks belong (top level, or inside `describe`). Whatever uses the handle before the tests goes in
 * `prepare`: top-level hooks of a file are not awaited one after another.
 */
export function scratchPostgres(options: { prepare?: (db: Database) => Promise<unknown> } = {}): {
  readonly db: Database;
} {
  let scratch: { name: string; url: string } | undefined;
  let db: Database | undefined;
  before(async () => {
    scratch = await createScratchDatabase();
    db = createPostgresDatabase(scratch.url);
    await options.prepare?.(db);
  });
  after(async () => {
    await db?.close();
    if (scratch) await dropScratchDatabase(scratch.name);
  });
  return {
    get db() {
      if (!db) throw new Error('the scratch database is made in before()');
      return db;
    },
  };
}
