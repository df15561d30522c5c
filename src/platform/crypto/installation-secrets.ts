import type { Queryable } from '../db/database.ts';
import { installationSecretRepository } from './installation-secret-repository.ts';
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
  const secrets = installationSecretRepository(db);
  await secrets.addUnlessPresent(name, generate());
  const value = await secrets.valueOf(name);
  if (value === undefined) throw new Error(`installation secret ${name} missing`);
  return value;
}
