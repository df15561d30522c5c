import type { Config } from '../../config/schema.ts';
import type { Database } from './database.ts';
import { lockDataDir } from './data-dir-lock.ts';
import { createPostgresDatabase } from './postgres.ts';

/** Opens PostgreSQL when DATABASE_URL is set, otherwise the embedded database (DESIGN.md §5). */
export async function openDatabase(config: Pick<Config, 'databaseUrl' | 'dataDir'>): Promise<Database> {
  if (config.databaseUrl) return createPostgresDatabase(config.databaseUrl);
  const unlock = lockDataDir(config.dataDir);
  try {
    // Loaded only here: a server on PostgreSQL does not carry the embedded database's code.
    const { createPgliteDatabase } = await import('./pglite.ts');
    const db = await createPgliteDatabase(config.dataDir);
    return {
      ...db,
      async close() {
        await db.close();
        unlock();
      },
    };
  } catch (error) {
    unlock();
    throw error;
  }
}
