import type { Queryable } from '../db/database.ts';
import { randomToken } from './tokens.ts';

/**
 * Secrets generated once per installation and kept in the database, so every
 * instance shares them and none is baked into the code (DESIGN.md §4). The
 * first caller's `generate` decides the value; later calls read it.
 */
export async function installationSecret(
  db: Queryable,
  name: string,
  generate: () => string = () => randomToken(32),
): Promise<string> {
  await db.query('INSERT INTO installation_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [
    name,
    generate(),
  ]);
  const result = await db.query<{ value: string }>('SELECT value FROM installation_secrets WHERE name = $1', [name]);
  const row = result.rows[0];
  if (!row) throw new Error(`installation secret ${name} missing`);
  return row.value;
}
