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

/** Databases a closed test app gave back, emptied again before the next one gets them. */
const idle: Database[] = [];

/**
 * A new in-memory database with every migration applied and no rows. A test process reuses the databases its closed
 * apps gave back, emptied by one TRUNCATE, instead of loading the dump again (about 1.5 s of CPU each on this
 * machine); two apps open at once still get two databases.
 */
export async function migratedDatabase(): Promise<Database> {
  const reused = idle.pop();
  const db = reused ? await emptied(reused) : await loaded();
  let released = false;
  return {
    ...db,
    async close() {
      if (released) return;
      released = true;
      idle.push(db);
      // A PGlite loaded from a dump holds a timer that keeps the process alive: one nobody takes up soon is closed.
      setTimeout(() => {
        const at = idle.indexOf(db);
        if (at >= 0) void idle.splice(at, 1)[0]?.close();
      }, idleMs).unref();
    },
  };
}

/** Long enough for the next test of a file to start its app, short enough not to delay the file's end. */
const idleMs = 500;

async function loaded(): Promise<Database> {
  dump ??= templateDir().then((dir) => new Blob([readFileSync(dumpFile(dir))]));
  return createPgliteDatabase('memory://', await dump);
}

let tables: Promise<string> | undefined;

/** Every row gone and every sequence at its start, as the template has them: only the migrations' ledger stays. */
async function emptied(db: Database): Promise<Database> {
  tables ??= db
    .query<{ name: string }>(
      "SELECT quote_ident(tablename) AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migrations'",
    )
    .then((result) => result.rows.map((row) => row.name).join(', '));
  await db.exec(`TRUNCATE ${await tables} RESTART IDENTITY CASCADE`);
  await db.exec('DISCARD ALL');
  return db;
}

/** Fills an empty DATA_DIR with the migrated data folder, as `npm install` prepares ./data. */
export async function seedDataDir(dataDir: string): Promise<void> {
  cpSync(dataFolder(await templateDir()), dataDir, { recursive: true });
}
