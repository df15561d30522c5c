import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Database } from './database.ts';

const migrationsDir = fileURLToPath(new URL('../../../migrations/', import.meta.url));

// Any fixed number: all instances take the same advisory lock, so only one migrates at a time.
const migrationLockId = 7_283_001;

export interface Migration {
  version: string;
  sql: string;
}

/** Forward-only numbered SQL files (STYLE.md habit 8). */
export function readMigrations(dir = migrationsDir): Migration[] {
  return readdirSync(dir)
    .filter((name) => /^\d{4}_[a-z0-9_]+\.sql$/.test(name))
    .sort()
    .map((name) => ({
      version: name.replace(/\.sql$/, ''),
      sql: readFileSync(new URL(name, `file://${dir}/`), 'utf8'),
    }));
}

/** Applies every migration not yet applied; returns the versions it applied. */
export async function migrate(db: Database, migrations = readMigrations()): Promise<string[]> {
  await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [migrationLockId]);
    await tx.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
  });
  const applied: string[] = [];
  for (const migration of migrations) {
    const done = await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [migrationLockId]);
      const seen = await tx.query('SELECT 1 FROM schema_migrations WHERE version = $1', [migration.version]);
      if (seen.rowCount > 0) return false;
      for (const statement of splitStatements(migration.sql)) await tx.query(statement);
      await tx.query('INSERT INTO schema_migrations (version) VALUES ($1)', [migration.version]);
      return true;
    });
    if (done) applied.push(migration.version);
  }
  return applied;
}

/** Versions on disk that the database has not applied yet (for /readyz). */
export async function pendingMigrations(db: Database, migrations = readMigrations()): Promise<string[]> {
  const result = await db.query<{ version: string }>('SELECT version FROM schema_migrations');
  const applied = new Set(result.rows.map((row) => row.version));
  return migrations.map((m) => m.version).filter((v) => !applied.has(v));
}

/**
 * Migrations are plain SQL with statements ended by a semicolon at the end of a
 * line; they contain no function bodies, so this split is exact for them.
 */
export function splitStatements(sql: string): string[] {
  return sql
    .split(/;\s*$/m)
    .map((statement) => statement.replace(/^\s*--.*$/gm, '').trim())
    .filter((statement) => statement.length > 0);
}
