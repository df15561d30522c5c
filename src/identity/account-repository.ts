import type { Queryable } from '../platform/db/database.ts';
import type { StatementPiece } from '../platform/db/statement-pieces.ts';
import type { Language } from '../text/index.ts';

export interface Account {
  id: string;
  username: string;
  email: string;
  emailVerifiedAt: Date | null;
  language: Language;
  state: 'active' | 'locked';
  createdAt: Date;
  lastLoginAt: Date | null;
  /** Set when a lost means was blocked through the e-mail link (see methods/second-factors.ts). */
  meansResetAt: Date | null;
}

export interface AccountRow {
  id: string;
  username: string;
  email: string;
  email_verified_at: Date | null;
  language: Language;
  state: 'active' | 'locked';
  created_at: Date;
  last_login_at: Date | null;
  means_reset_at: Date | null;
}

export const accountColumns =
  'id, username, email, email_verified_at, language, state, created_at, last_login_at, means_reset_at';

/** The account a login name ($1) names; see `byLogin`. */
export const loginMatch =
  'lower(username) = lower($1) OR lower(email) = lower($1) ORDER BY lower(username) = lower($1) DESC, email_verified_at IS NOT NULL DESC, created_at DESC';

/**
 * A login's time, also a use of the account (inactivity deletion, migration
 * 0012): a piece of the statement that starts the session (issue 16). Its
 * value is the account's state, so a locked account gets no session
 * (flows/login/complete-login.ts); undefined for an account that is gone.
 */
export function loginRecordedPiece(id: string, at: Date): StatementPiece<Account['state']> {
  return {
    ctes(bind) {
      const now = bind(at);
      return `login_recorded AS (
         UPDATE accounts SET last_login_at = ${now}, last_active_at = ${now}, inactivity_warnings = 0, inactivity_warned_at = NULL
          WHERE id = ${bind(id)} RETURNING state)`;
    },
    value: {
      sql: '(SELECT state FROM login_recorded)',
      read: (raw) => (raw ?? undefined) as Account['state'] | undefined,
    },
  };
}

export function toAccount(row: AccountRow): Account {
  return {
    id: row.id,
    username: row.username,
    email: row.email,
    emailVerifiedAt: row.email_verified_at,
    language: row.language,
    state: row.state,
    createdAt: row.created_at,
    lastLoginAt: row.last_login_at,
    meansResetAt: row.means_reset_at,
  };
}

/** The account repository: a plain factory over a query runner (STYLE.md, fastify/demo). */
export function accountRepository(db: Queryable) {
  const one = async (where: string, params: unknown[]): Promise<Account | undefined> => {
    const result = await db.query<AccountRow>(`SELECT ${accountColumns} FROM accounts WHERE ${where}`, params);
    const row = result.rows[0];
    return row ? toAccount(row) : undefined;
  };
  return {
    byId: (id: string) => (/^[0-9a-f-]{36}$/i.test(id) ? one('id = $1', [id]) : Promise.resolve(undefined)),
    /**
     * Login accepts the username or the e-mail address, both case-insensitive.
     * Several unconfirmed registrations may name one address (migration 0008):
     * the username wins, then the account that confirmed the address, then the
     * newest registration.
     */
    byLogin: (identifier: string) => one(`${loginMatch} LIMIT 1`, [identifier]),
    /** The account that owns the address: only a confirmed address belongs to an account. */
    byEmail: (email: string) => one('lower(email) = lower($1) AND email_verified_at IS NOT NULL', [email]),
    /** The newest registration still waiting for the confirmation of this address. */
    unconfirmedByEmail: (email: string) =>
      one('lower(email) = lower($1) AND email_verified_at IS NULL ORDER BY created_at DESC LIMIT 1', [email]),
    /** Whether the username, or the address as a confirmed one, belongs to an account. */
    async usernameOrEmailTaken(username: string, email: string): Promise<{ username: boolean; email: boolean }> {
      const result = await db.query<{ u: boolean; e: boolean }>(
        'SELECT bool_or(lower(username) = lower($1)) AS u, bool_or(lower(email) = lower($2) AND email_verified_at IS NOT NULL) AS e FROM accounts WHERE lower(username) = lower($1) OR lower(email) = lower($2)',
        [username, email],
      );
      return { username: result.rows[0]?.u === true, email: result.rows[0]?.e === true };
    },
    async create(input: { username: string; email: string; language: Language; verified: boolean }): Promise<Account> {
      const result = await db.query<AccountRow>(
        `INSERT INTO accounts (username, email, language, email_verified_at) VALUES ($1, $2, $3, CASE WHEN $4 THEN now() END) RETURNING ${accountColumns}`,
        [input.username, input.email, input.language, input.verified],
      );
      return toAccount(result.rows[0] as AccountRow);
    },
    /**
     * Confirms the account's address unless another account confirmed it
     * first (then false: the first to confirm gets it). A confirmation racing
     * this one fails on the unique index of confirmed addresses.
     */
    async markEmailVerified(id: string, at: Date): Promise<boolean> {
      const result = await db.query(
        `UPDATE accounts a SET email_verified_at = coalesce(a.email_verified_at, $2) WHERE a.id = $1
         AND NOT EXISTS (SELECT 1 FROM accounts o WHERE o.id <> a.id AND lower(o.email) = lower(a.email) AND o.email_verified_at IS NOT NULL) RETURNING a.id`,
        [id, at],
      );
      return result.rows.length > 0;
    },
    async changeEmail(id: string, email: string, at: Date): Promise<void> {
      await db.query('UPDATE accounts SET email = $2, email_verified_at = $3 WHERE id = $1', [id, email, at]);
    },
    /** A login is a use: the inactivity count starts again and a warning already sent is void (migration 0012). */
    /** Records a login; answers the account's state (undefined: no such account), read in the same statement. */
    async setLanguage(id: string, language: Language): Promise<void> {
      await db.query('UPDATE accounts SET language = $2 WHERE id = $1', [id, language]);
    },
    /**
     * Means blocked through a mailed link, without proof of the person: means
     * set up afterwards stay below substanziell until the person is verified
     * again (`undefined` clears the mark).
     */
    async markMeansReset(id: string, at: Date | undefined): Promise<void> {
      await db.query('UPDATE accounts SET means_reset_at = $2 WHERE id = $1', [id, at ?? null]);
    },
    /**
     * Every account an operator's search term names (`servicekonto user show`): the account id, or a username or
     * e-mail address, case-insensitive; an address may name several unconfirmed registrations (migration 0008).
     */
    async lookup(term: string): Promise<Account[]> {
      if (/^[0-9a-f-]{36}$/i.test(term)) {
        const account = await one('id = $1', [term]);
        return account ? [account] : [];
      }
      const result = await db.query<AccountRow>(`SELECT ${accountColumns} FROM accounts WHERE ${loginMatch}`, [term]);
      return result.rows.map(toAccount);
    },
    /**
     * An operator's lock (`user lock`): logins are refused while the state is `locked` (methods/password,
     * flows/login/complete-login.ts).
     */
    async setState(id: string, state: Account['state']): Promise<void> {
      await db.query('UPDATE accounts SET state = $2 WHERE id = $1', [id, state]);
    },
    /** Deleting the row cascades to identity data, means, sessions, consents and links. */
    async remove(id: string): Promise<void> {
      await db.query('DELETE FROM accounts WHERE id = $1', [id]);
    },
    /**
     * Housekeeping: registrations never confirmed are removed after a week,
     * by password or by card alike (issue 13, point 9): an unconfirmed
     * address is only what was typed into a form, and a card account kept
     * with someone else's address would send that person its mails for ever.
     * The card is free again to register. Card accounts registered before
     * this rule came (migration 0008) get a week from the upgrade.
     */
    async removeUnconfirmed(now: Date): Promise<void> {
      await db.query(
        `DELETE FROM accounts WHERE email_verified_at IS NULL AND created_at < $1::timestamptz - interval '7 days'
     AND (NOT EXISTS (SELECT 1 FROM eid_links WHERE eid_links.account_id = accounts.id)
          OR (SELECT applied_at FROM schema_migrations WHERE version = '0008_unconfirmed_addresses_free') < $1::timestamptz - interval '7 days')`,
        [now],
      );
    },
  };
}

export type AccountRepository = ReturnType<typeof accountRepository>;
