import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { loadConfig } from '../../src/config/load.ts';
import { createPasswordHasher } from '../../src/methods/password/hash.ts';
import { runCli } from '../../test/e2e/helpers/server.ts';
import { eachLimited } from '../scenarios/scenario.ts';
import type { HashParams } from './installation.ts';

export interface BenchAccount {
  username: string;
  password: string;
}

async function withDatabase<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The hasher the server uses, with the parameters the server reads from the same variables. */
function serverHasher(hash: HashParams) {
  return createPasswordHasher(loadConfig({ ...hash }).config.argon2);
}

/**
 * The accounts the load logs in with. One is made by the operator CLI
 * (`user create --verified`), as an operator would; the others are written
 * with the same two INSERTs as that command (accounts, then the password
 * means), each with its own password and its own argon2id hash made by the
 * server's hasher (src/methods/password/hash.ts) with the server's
 * parameters: the logins verify real hashes. No audit events are written
 * for them.
 */
export async function createMeasuredAccounts(
  databaseUrl: string,
  cliEnv: NodeJS.ProcessEnv,
  count: number,
  hash: HashParams,
): Promise<BenchAccount[]> {
  const accounts: BenchAccount[] = Array.from({ length: count }, (_, i) => ({
    username: `bench_${String(i).padStart(5, '0')}`,
    password: `Bürgerkonto ${randomBytes(6).toString('base64url')} ${i}`,
  }));
  const [first, ...rest] = accounts;
  if (!first) return [];
  await runCli(
    [
      'user',
      'create',
      '--username',
      first.username,
      '--email',
      `${first.username}@example.org`,
      '--password',
      first.password,
      '--verified',
    ],
    cliEnv,
  );

  const hasher = serverHasher(hash);
  const hashes = new Array<string>(rest.length);
  await eachLimited(rest, 4, async (account, i) => {
    hashes[i] = await hasher.hash(account.password);
  });
  await withDatabase(databaseUrl, (client) =>
    client.query(
      `WITH input AS (SELECT * FROM unnest($1::text[], $2::text[]) AS t(username, secret)),
            created AS (INSERT INTO accounts (username, email, language, email_verified_at)
                        SELECT username, username || '@example.org', 'de', now() FROM input RETURNING id, username)
       INSERT INTO authentication_means (account_id, kind, secret, level)
       SELECT created.id, 'password', input.secret, 2 FROM created JOIN input USING (username)`,
      [rest.map((a) => a.username), hashes],
    ),
  );
  return accounts;
}

/**
 * Fills the accounts table up to `total` rows with generate_series, all
 * sharing one precomputed hash (their passwords are never tried; the
 * measured accounts keep their own). Chunked, so a million rows report
 * progress and no statement runs for minutes. CHECKPOINT needs a superuser,
 * as the scratch databases' admin user is.
 */
export async function fillAccounts(
  databaseUrl: string,
  total: number,
  hash: HashParams,
  log: (line: string) => void,
): Promise<number> {
  const shared = await serverHasher(hash).hash(`bulk ${randomBytes(16).toString('base64url')}`);
  return withDatabase(databaseUrl, async (client) => {
    const have = Number((await client.query<{ n: string }>('SELECT count(*) AS n FROM accounts')).rows[0]?.n ?? 0);
    const start = Number(
      (await client.query<{ n: string }>("SELECT count(*) AS n FROM accounts WHERE username LIKE 'bulk\\_%'")).rows[0]
        ?.n ?? 0,
    );
    const chunk = 100_000;
    let added = 0;
    for (let from = start; have + added < total; from += chunk) {
      const size = Math.min(chunk, total - have - added);
      await client.query(
        `WITH created AS (INSERT INTO accounts (username, email, language, email_verified_at, created_at)
                          SELECT 'bulk_' || g, 'bulk_' || g || '@example.org', 'de', now(), now()
                          FROM generate_series($1::int, $2::int) g RETURNING id)
         INSERT INTO authentication_means (account_id, kind, secret, level) SELECT id, 'password', $3, 2 FROM created`,
        [from, from + size - 1, shared],
      );
      added += size;
      if (total - have > chunk) log(`  ${(have + added).toLocaleString('en')} accounts`);
    }
    if (added > chunk) {
      // A bulk load leaves unset hint bits, an empty visibility map and dirty pages; a live database with
      // a million accounts has none of that, so the comparison starts from the state autovacuum and the
      // checkpointer would reach.
      await client.query('VACUUM (ANALYZE) accounts');
      await client.query('VACUUM (ANALYZE) authentication_means');
      await client.query('CHECKPOINT');
    } else {
      await client.query('ANALYZE accounts');
      await client.query('ANALYZE authentication_means');
    }
    return have + added;
  });
}

/** Number of accounts in the database. */
export function countAccounts(databaseUrl: string): Promise<number> {
  return withDatabase(databaseUrl, async (client) =>
    Number((await client.query<{ n: string }>('SELECT count(*) AS n FROM accounts')).rows[0]?.n ?? 0),
  );
}
