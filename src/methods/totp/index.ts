import type { Clock } from '../../platform/clock.ts';
import type { Queryable } from '../../platform/db/database.ts';
import type { SecretBox } from '../../platform/crypto/secret-box.ts';
import type { Level } from '../../session/limits.ts';
import { totpInfo } from './info.ts';
import { totpStepUpRoutes } from './step-up-routes.ts';
import { totpAccountRoutes } from './account-routes.ts';

/** RFC 6238 defaults that every authenticator app understands: SHA-1, 6 digits, 30 s. */
const period = 30;
/** ±1 time step for clock skew between phone and server (RFC 6238 §5.2). */
const tolerance = period;

/** Loaded with the first TOTP request: most logins never use one, and the server's idle memory counts (issue 7). */
const otplib = () => import('otplib');

interface TotpRow {
  id: string;
  secret: string;
  level: Level;
  public_data: { confirmed?: boolean; lastTimeStep?: number } | null;
}

/**
 * Software token (TOTP, RFC 6238): with the password it reaches level
 * substanziell (DESIGN.md §3), amr `otp` (RFC 8176). The key is stored
 * encrypted; a code is accepted once only (its time step is remembered).
 */
export function totpMethod(deps: { clock: Clock; box: SecretBox; issuer: string }) {
  const epoch = () => Math.floor(deps.clock.now().getTime() / 1000);
  return {
    ...totpInfo,
    amr: [...totpInfo.amr],
    available: true,
    accountRoutes: totpAccountRoutes,
    stepUpRoutes: totpStepUpRoutes,
    async hasConfirmed(db: Queryable, accountId: string): Promise<boolean> {
      const result = await db.query("SELECT 1 FROM authentication_means WHERE account_id = $1 AND kind = 'totp' AND blocked_at IS NULL AND (public_data->>'confirmed')::boolean", [accountId]);
      return result.rowCount > 0;
    },
    /** Starts an enrolment: a fresh key, unconfirmed until the first code proves the app has it. */
    async startEnrolment(db: Queryable, accountId: string, label: string): Promise<{ secret: string; uri: string }> {
      await db.query("DELETE FROM authentication_means WHERE account_id = $1 AND kind = 'totp' AND NOT coalesce((public_data->>'confirmed')::boolean, false)", [accountId]);
      const { generateSecret, generateURI } = await otplib();
      const secret = generateSecret();
      await db.query("INSERT INTO authentication_means (account_id, kind, secret, public_data, level) VALUES ($1, 'totp', $2, $3, 3)", [accountId, deps.box.seal(secret), JSON.stringify({ confirmed: false })]);
      return { secret, uri: generateURI({ issuer: deps.issuer, label, secret, period }) };
    },
    uri: async (label: string, secret: string): Promise<string> => (await otplib()).generateURI({ issuer: deps.issuer, label, secret, period }),
    /** The pending key, to show again after a wrong first code. */
    async pendingSecret(db: Queryable, accountId: string): Promise<string | undefined> {
      const result = await db.query<{ secret: string }>("SELECT secret FROM authentication_means WHERE account_id = $1 AND kind = 'totp' AND NOT coalesce((public_data->>'confirmed')::boolean, false)", [accountId]);
      const row = result.rows[0];
      return row ? deps.box.open(row.secret) : undefined;
    },
    /**
     * Checks a code against the account's key, or against the pending one
     * when `enrolLevel` is given: that confirms it at this level. Answers the
     * level the token reaches, undefined for a wrong code. One locked row per
     * check: two requests with the same code cannot both pass.
     */
    async check(tx: Queryable, accountId: string, code: string, enrolLevel?: Level): Promise<Level | undefined> {
      const enrolment = enrolLevel !== undefined;
      if (!/^\d{6}$/.test(code)) return undefined;
      const result = await tx.query<TotpRow>(
        `SELECT id, secret, public_data, level FROM authentication_means WHERE account_id = $1 AND kind = 'totp' AND blocked_at IS NULL
         AND coalesce((public_data->>'confirmed')::boolean, false) = $2 ORDER BY created_at DESC LIMIT 1 FOR UPDATE`,
        [accountId, !enrolment],
      );
      const row = result.rows[0];
      if (!row) return undefined;
      const lastTimeStep = row.public_data?.lastTimeStep;
      const outcome = await (await otplib()).verify({ secret: deps.box.open(row.secret), token: code, epoch: epoch(), epochTolerance: tolerance, ...(lastTimeStep === undefined ? {} : { afterTimeStep: lastTimeStep }) });
      if (!outcome.valid || !('timeStep' in outcome)) return undefined;
      if (enrolment) await tx.query("DELETE FROM authentication_means WHERE account_id = $1 AND kind = 'totp' AND id <> $2", [accountId, row.id]);
      const level = enrolLevel ?? row.level;
      await tx.query('UPDATE authentication_means SET public_data = $2, last_used_at = $3, level = $4 WHERE id = $1', [row.id, JSON.stringify({ confirmed: true, lastTimeStep: outcome.timeStep }), deps.clock.now(), level]);
      return level;
    },
  };
}

export type TotpMethod = ReturnType<typeof totpMethod>;
