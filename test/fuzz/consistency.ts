/**
 * The database after fuzzing, checked in SQL: the audit chain is intact,
 * every account has what its registration wrote (a means to log in and the
 * audit event), nothing points at an account that is gone, and the eID
 * readings, mailed links and means are in states the code can reach.
 */
import type { World } from './world.ts';

const checks: readonly { name: string; sql: string }[] = [
  {
    name: 'accounts without a password and without a card link (registration writes one of them with the account)',
    sql: `SELECT a.id::text AS id FROM accounts a
          WHERE NOT EXISTS (SELECT 1 FROM authentication_means m WHERE m.account_id = a.id AND m.kind = 'password')
            AND NOT EXISTS (SELECT 1 FROM eid_links l WHERE l.account_id = a.id)`,
  },
  {
    name: 'accounts without the audit event of their registration',
    sql: `SELECT a.id::text AS id FROM accounts a
          WHERE NOT EXISTS (SELECT 1 FROM audit_events e WHERE e.subject = 'account:' || a.id::text AND e.action IN ('account.registered', 'register.eid', 'account.created', 'account.demo_created'))`,
  },
  {
    name: 'unverified accounts without a confirmation link (registration issues one with the account)',
    sql: `SELECT a.id::text AS id FROM accounts a
          WHERE a.email_verified_at IS NULL AND NOT EXISTS (SELECT 1 FROM email_tokens t WHERE t.account_id = a.id AND t.purpose = 'verify_email')`,
  },
  {
    name: 'protocol records (grants, tokens, sessions) of accounts that are gone',
    sql: `SELECT p.model || ' ' || p.id AS id FROM oidc_payloads p
          WHERE p.account_id IS NOT NULL AND p.account_id NOT LIKE 'guest:%'
            AND NOT EXISTS (SELECT 1 FROM accounts a WHERE a.id::text = p.account_id)`,
  },
  {
    name: 'audit events about accounts that never existed (registered, but neither there nor deleted)',
    sql: `SELECT e.subject AS id FROM audit_events e
          WHERE e.action IN ('account.registered', 'register.eid') AND NOT EXISTS (SELECT 1 FROM accounts a WHERE 'account:' || a.id::text = e.subject)
            AND NOT EXISTS (SELECT 1 FROM audit_events d WHERE d.subject = e.subject AND d.action = 'account.deleted')`,
  },
  {
    name: 'eID readings in an impossible state (done without data, failed with data or without an outcome, used with data kept)',
    sql: `SELECT id FROM eid_transactions
          WHERE (state = 'done' AND (outcome IS DISTINCT FROM 'ok' OR result IS NULL))
             OR (state = 'failed' AND (outcome IS NULL OR outcome = 'ok' OR result IS NOT NULL))
             OR (state = 'used' AND result IS NOT NULL)
             OR (state = 'polling' AND polling_since IS NULL)`,
  },
  {
    name: 'e-mail change links without the new address',
    sql: `SELECT id FROM email_tokens WHERE purpose = 'change_email' AND new_email IS NULL`,
  },
  {
    name: 'accounts with more than one confirmed authenticator app',
    sql: `SELECT account_id::text AS id FROM authentication_means
          WHERE kind = 'totp' AND coalesce((public_data->>'confirmed')::boolean, false) GROUP BY account_id HAVING count(*) > 1`,
  },
  {
    name: 'card links of one card to two accounts',
    sql: `SELECT restricted_id_hash AS id FROM eid_links GROUP BY sector, restricted_id_hash HAVING count(DISTINCT account_id) > 1`,
  },
];

/** The problems found, as sentences; empty when the database is consistent. */
export async function consistencyProblems(world: World): Promise<string[]> {
  const problems: string[] = [];
  const broken = await world.t.app.audit.verify(world.t.app.db);
  if (broken !== undefined) problems.push(`the audit chain breaks at row ${broken}`);
  for (const c of checks) {
    const rows = (await world.t.app.db.query<{ id: string }>(c.sql)).rows;
    if (rows.length > 0)
      problems.push(
        `${c.name}: ${rows
          .slice(0, 5)
          .map((r) => r.id)
          .join(', ')}${rows.length > 5 ? ` and ${rows.length - 5} more` : ''}`,
      );
  }
  return problems;
}

export async function accountCount(world: World): Promise<number> {
  return (await world.t.app.db.query<{ n: number }>('SELECT count(*)::int AS n FROM accounts')).rows[0]?.n ?? 0;
}
