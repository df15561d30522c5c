import { randomInt } from 'node:crypto';
import type { AppContext } from '../context.ts';
import { installationSecret } from '../platform/crypto/installation-secrets.ts';

export const demoUsername = 'erika.mustermann';

/**
 * The demo citizen of a development installation: created once, with a
 * password generated for this installation (never a fixed one a stranger
 * could know), and self-entered data after the ID card specimen.
 */
export async function ensureDemoAccount(app: AppContext): Promise<{ username: string; password: string }> {
  const password = await installationSecret(
    app.db,
    'demo_password',
    () => `Musterstadt-${randomInt(100_000, 999_999)}`,
  );
  if (await app.accounts.byLogin(demoUsername)) return { username: demoUsername, password };
  const hash = await app.hasher.hash(password);
  await app.db.transaction(async (tx) => {
    const repos = app.repos(tx);
    const account = await repos.accounts.create({
      username: demoUsername,
      email: 'erika.mustermann@example.org',
      language: 'de',
      verified: true,
    });
    await repos.passwords.set(account.id, hash);
    await repos.attributes.setTyped(account.id, {
      given_name: 'Erika',
      family_name: 'Mustermann',
      birthdate: '1964-08-12',
      birth_family_name: 'Gabler',
      place_of_birth: 'Berlin',
      nationality: 'DE',
      street_address: 'Heidestraße 17',
      postal_code: '51147',
      locality: 'Köln',
      country: 'DE',
    });
    await app.audit.record(tx, {
      actor: 'system',
      action: 'account.demo_created',
      subject: `account:${account.id}`,
      outcome: 'success',
    });
  });
  return { username: demoUsername, password };
}
