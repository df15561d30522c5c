// The migrated embedded database, made once per test run and copied for every test app and CLI run:
// migrating a fresh PGlite costs 10–20 s on a loaded 2-core machine, loading a dump about 2 s.
// test/run.ts builds it and names it in the environment; a file run on its own builds its own.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { Database } from '../../src/platform/db/database.ts';
import { createPgliteDatabase } from '../../src/platform/db/pglite.ts';
import { migrate } from '../../src/platform/db/migrate.ts';

/** The folder holding `pgdata/` (a migrated data folder) and `pgdata.tar` (its dump). */
export const templateVariable = 'SERVICEKONTO_TEST_DB_TEMPLATE';

const dataFolder = (dir: string) => join(dir, 'pgdata');
const dumpFile = (dir: string) => join(dir, 'pgdata.tar');

/** Migrates a new data folder in `dir` and writes its dump beside it. */
export async function buildTemplate(dir: string): Promise<void> {
  const db = await createPgliteDatabase(dataFolder(dir));
  await migrate(db);
  await db.close();
  const raw = await PGlite.create(dataFolder(dir));
  const dump = await raw.dumpDataDir('none');
  await raw.close();
  writeFileSync(dumpFile(dir), new Uint8Array(await dump.arrayBuffer()));
}

let own: Promise<string> | undefined;

/** The run's template folder, or one built for this process alone (removed at exit). */
function templateDir(): Promise<string> {
  const given = process.env[templateVariable];
  if (given && existsSync(dumpFile(given))) return Promise.resolve(given);
  own ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sk-db-template-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    await buildTemplate(dir);
    return dir;
  })();
  return own;
}

let dump: Promise<Blob> | undefined;

/** A new in-memory database with every migration applied. */
export async function migratedDatabase(): Promise<Database> {
  dump ??= templateDir().then((dir) => new Blob([readFileSync(dumpFile(dir))]));
  return createPgliteDatabase('memory://', await dump);
}

/** Fills an empty DATA_DIR with the migrated data folder, as `npm install` prepares ./data. */
export async function seedDataDir(dataDir: string): Promise<void> {
  cpSync(dataFolder(await templateDir()), dataDir, { recursive: true });
}
