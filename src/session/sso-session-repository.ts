import type { Clock } from '../platform/clock.ts';
import type { Queryable } from '../platform/db/database.ts';
import { hashToken, randomToken } from '../platform/crypto/tokens.ts';
import { sessionLimits, type Level } from './limits.ts';

/** The one SSO session of a browser, owned by the Servicekonto (DESIGN.md §5a). */
export interface SsoSession {
  id: string;
  accountId: string;
  level: Level;
  /** The level of the means used, before the cap by the identity data (adding a means compares against it). */
  meansLevel: Level;
  amr: string[];
  /** `password` or `eid`: how the session began (SAML AssertionProvedBy, PROFILES.md §1). */
  method: string;
  authTime: Date;
  expiresAt: Date;
  idleExpiresAt: Date;
}

/** A live session as "Mein Konto" lists it: which device, since when, last used. */
export interface DeviceSession {
  id: string;
  level: Level;
  method: string;
  /** The means used (RFC 8176), to tell a login with the password alone from one with a second factor. */
  amr: string[];
  /** Browser and system in two words (session/device.ts), empty for sessions from before it was kept. */
  device: string;
  authTime: Date;
  lastActiveAt: Date;
}

interface Row {
  id: string;
  account_id: string;
  level: Level;
  means_level: Level;
  amr: string[];
  method: string;
  auth_time: Date;
  expires_at: Date;
  idle_expires_at: Date;
}

const toSession = (r: Row): SsoSession => ({
  id: r.id,
  accountId: r.account_id,
  level: r.level,
  meansLevel: r.means_level,
  amr: r.amr,
  method: r.method,
  authTime: r.auth_time,
  expiresAt: r.expires_at,
  idleExpiresAt: r.idle_expires_at,
});

/**
 * The resume of a session by its cookie token (ssoSessions' `resume`) as the common table expressions `resumed` (the
 * session, its idle expiry extended) and `used` (the account's use), with its parameters from `$${from}` on; so
 * another statement of the request can carry it (issue 16: the resumed interaction of an OIDC login). Undefined for
 * a token that cannot be one.
 */
export function resumeStatement(
  token: string | undefined,
  now: Date,
  from: number,
): { ctes: string; params: unknown[] } | undefined {
  if (!token || token.length > 100) return undefined;
  const [id, at, l4, l3, l2] = [0, 1, 2, 3, 4].map((i) => `$${from + i}`);
  return {
    ctes: `resumed AS (
           UPDATE sso_sessions
              SET last_active_at = ${at},
                  idle_expires_at = LEAST(expires_at, ${at}::timestamptz + make_interval(secs => CASE WHEN level >= 4 THEN ${l4}::int WHEN level = 3 THEN ${l3}::int ELSE ${l2}::int END))
            WHERE id = ${id} AND expires_at > ${at} AND idle_expires_at > ${at}
            RETURNING ${sessionColumns}),
         used AS (
           UPDATE accounts SET last_active_at = ${at}, inactivity_warnings = 0, inactivity_warned_at = NULL
             FROM resumed WHERE accounts.id = resumed.account_id AND accounts.last_active_at < ${at}::timestamptz - interval '1 day')`,
    params: [
      hashToken(token),
      now,
      sessionLimits(4).idleSeconds,
      sessionLimits(3).idleSeconds,
      sessionLimits(2).idleSeconds,
    ],
  };
}

const sessionColumns = 'id, account_id, level, means_level, amr, method, auth_time, expires_at, idle_expires_at';

/** The columns of `resumed` (resumeStatement) under a prefix, beside another statement's columns. */
export const resumedColumns = (table: string, prefix: string) =>
  sessionColumns
    .split(', ')
    .map((column) => `${table}.${column} AS ${prefix}${column}`)
    .join(', ');

/** The session of a row with resumedColumns; undefined when none was resumed. */
export function resumedSession(of: object, prefix: string): SsoSession | undefined {
  const row = of as Record<string, unknown>;
  if (row[`${prefix}id`] === null || row[`${prefix}id`] === undefined) return undefined;
  return toSession(
    Object.fromEntries(
      sessionColumns.split(', ').map((column) => [column, row[`${prefix}${column}`]]),
    ) as unknown as Row,
  );
}

export function ssoSessions(db: Queryable, clock: Clock) {
  return {
    /** Starts a session; returns the cookie token (only its hash is stored). */
    async start(
      accountId: string,
      level: Level,
      amr: string[],
      tx: Queryable = db,
      meansLevel: Level = level,
      method = 'password',
      device = '',
    ): Promise<{ token: string; session: SsoSession }> {
      const token = randomToken();
      const now = clock.now();
      const limits = sessionLimits(level);
      const result = await tx.query<Row>(
        `INSERT INTO sso_sessions (id, account_id, level, means_level, amr, auth_time, last_active_at, expires_at, idle_expires_at, method, device)
         VALUES ($1, $2, $3, $8, $4, $5, $5, $6, $7, $9, $10) RETURNING id, account_id, level, means_level, amr, method, auth_time, expires_at, idle_expires_at`,
        [
          hashToken(token),
          accountId,
          level,
          amr,
          now,
          new Date(now.getTime() + limits.maxSeconds * 1000),
          new Date(now.getTime() + limits.idleSeconds * 1000),
          meansLevel,
          method,
          device.slice(0, 60),
        ],
      );
      return { token, session: toSession(result.rows[0] as Row) };
    },
    /**
     * Finds a live session by cookie token and extends its idle expiry, never
     * past the hard expiry: one statement, since every request of a logged-in
     * browser comes here (issue 7's profile: half the round trips of a page
     * view were this look-up and its separate update). A request of a
     * logged-in session is a use of the account (inactivity deletion,
     * migration 0012): the same statement records it, at most once a day.
     */
    async resume(token: string | undefined): Promise<SsoSession | undefined> {
      const resuming = resumeStatement(token, clock.now(), 1);
      if (!resuming) return undefined;
      const found = await db.query<Row>(`WITH ${resuming.ctes} SELECT * FROM resumed`, resuming.params);
      const row = found.rows[0];
      return row ? toSession(row) : undefined;
    },
    async end(token: string | undefined, tx: Queryable = db): Promise<void> {
      if (token) await tx.query('DELETE FROM sso_sessions WHERE id = $1', [hashToken(token)]);
    },
    /** Ends the session by its stored id (the hash of its token), for a logout that does not come with the cookie. */
    async endById(id: string, tx: Queryable = db): Promise<void> {
      await tx.query('DELETE FROM sso_sessions WHERE id = $1', [id]);
    },
    /** The account's live sessions, the most recently used first ("Mein Konto" → Geräte). */
    async listFor(accountId: string): Promise<DeviceSession[]> {
      const now = clock.now();
      const result = await db.query<{
        id: string;
        level: Level;
        method: string;
        amr: string[];
        device: string;
        auth_time: Date;
        last_active_at: Date;
      }>(
        `SELECT id, level, method, amr, device, auth_time, last_active_at FROM sso_sessions
          WHERE account_id = $1 AND expires_at > $2 AND idle_expires_at > $2
          ORDER BY last_active_at DESC, auth_time DESC LIMIT 50`,
        [accountId, now],
      );
      return result.rows.map((r) => ({
        id: r.id,
        level: r.level,
        method: r.method,
        amr: r.amr,
        device: r.device,
        authTime: r.auth_time,
        lastActiveAt: r.last_active_at,
      }));
    },
    /** Ends one session of the account by its stored id; answers whether there was one (the id comes from a form). */
    async endOne(accountId: string, id: string, tx: Queryable = db): Promise<boolean> {
      const result = await tx.query('DELETE FROM sso_sessions WHERE account_id = $1 AND id = $2', [accountId, id]);
      return result.rowCount > 0;
    },
    /** Ends every session of the account, or every one but `exceptId` (the current one). */
    async endAllFor(accountId: string, tx: Queryable = db, exceptId = ''): Promise<void> {
      await tx.query('DELETE FROM sso_sessions WHERE account_id = $1 AND id <> $2', [accountId, exceptId]);
    },
    async deleteExpired(): Promise<number> {
      const now = clock.now();
      const result = await db.query('DELETE FROM sso_sessions WHERE expires_at <= $1 OR idle_expires_at <= $1', [now]);
      return result.rowCount;
    },
  };
}

export type SsoSessions = ReturnType<typeof ssoSessions>;
