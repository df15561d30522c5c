import type { Clock } from '../../platform/clock.ts';
import type { Queryable } from '../../platform/db/database.ts';
import type { SecretBox } from '../../platform/crypto/secret-box.ts';
import type { Level } from '../../session/limits.ts';
import {
  deletePending,
  insertMeans,
  keepOnly,
  liveMeans,
  lockNewest,
  markMeansUsedAt,
  pendingMeans,
} from '../means-repository.ts';
import { totpInfo } from './info.ts';
import { totpStepUpRoutes } from './step-up-routes.ts';
import { totpAccountRoutes } from './account-routes.ts';
import { totpAddSection } from './account-page.ts';

/** RFC 6238 defaults that every authenticator app understands: SHA-1, 6 digits, 30 s. */
const period = 30;
/** ±1 time step for clock skew between phone and server (RFC 6238 §5.2). */
const tolerance = period;

/** Loaded with the first TOTP request: most logins never use one, and the server's idle memory counts (issue 7). */
const otplib = () => import('otplib');

/**
 * What a token row keeps besides its sealed key: confirmed by a first code, and the last time step used (RFC 6238 §5.2:
 * once only).
 */
interface TotpData {
  confirmed?: boolean;
  lastTimeStep?: number;
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
    addSection: totpAddSection,
    stepUpRoutes: totpStepUpRoutes,
    async hasConfirmed(db: Queryable, accountId: string): Promise<boolean> {
      return (await liveMeans(db, accountId, totpInfo.kinds)).some((r) => r.public_data?.confirmed === true);
    },
    /** Starts an enrolment: a fresh key, unconfirmed until the first code proves the app has it. */
    async startEnrolment(db: Queryable, accountId: string, label: string): Promise<{ secret: string; uri: string }> {
      await deletePending(db, accountId, totpInfo.kinds);
      const { generateSecret, generateURI } = await otplib();
      const secret = generateSecret();
      await insertMeans(db, {
        accountId,
        kind: totpInfo.id,
        secret: deps.box.seal(secret),
        publicData: { confirmed: false },
        level: totpInfo.level,
      });
      return { secret, uri: generateURI({ issuer: deps.issuer, label, secret, period }) };
    },
    uri: async (label: string, secret: string): Promise<string> =>
      (await otplib()).generateURI({ issuer: deps.issuer, label, secret, period }),
    /** The pending key, to show again after a wrong first code. */
    async pendingSecret(db: Queryable, accountId: string): Promise<string | undefined> {
      const row = await pendingMeans(db, accountId, totpInfo.kinds);
      return row ? deps.box.open(row.secret) : undefined;
    },
    /**
     * Checks a code against the account's key, or against the pending one
     * when `enrolLevel` is given: that confirms it at this level. Answers the
     * level the token reaches, undefined for a wrong code. One locked row per
     * check: two requests with the same code cannot both pass.
     */
    async check(tx: Queryable, accountId: string, typed: string, enrolLevel?: Level): Promise<Level | undefined> {
      const enrolment = enrolLevel !== undefined;
      // Apps show the code in two groups ("123 456"); typed or pasted so, it is the same code.
      const code = typed.replace(/\s/g, '');
      if (!/^\d{6}$/.test(code)) return undefined;
      const row = await lockNewest(tx, { accountId, kinds: totpInfo.kinds, confirmed: !enrolment });
      if (!row) return undefined;
      const lastTimeStep = (row.public_data as TotpData | null)?.lastTimeStep;
      const outcome = await (
        await otplib()
      ).verify({
        secret: deps.box.open(row.secret),
        token: code,
        epoch: epoch(),
        epochTolerance: tolerance,
        ...(lastTimeStep === undefined ? {} : { afterTimeStep: lastTimeStep }),
      });
      if (!outcome.valid || !('timeStep' in outcome)) return undefined;
      if (enrolment) await keepOnly(tx, { accountId, kinds: totpInfo.kinds, keepId: row.id });
      const level = enrolLevel ?? row.level;
      await markMeansUsedAt(tx, {
        meansId: row.id,
        at: deps.clock.now(),
        publicData: { confirmed: true, lastTimeStep: outcome.timeStep },
        level,
      });
      return level;
    },
  };
}

export type TotpMethod = ReturnType<typeof totpMethod>;
