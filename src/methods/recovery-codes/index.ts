import { randomInt } from 'node:crypto';
import type { Clock } from '../../platform/clock.ts';
import type { Queryable } from '../../platform/db/database.ts';
import { hmac } from '../../platform/crypto/tokens.ts';
import type { Level } from '../../session/limits.ts';
import type { PageContext } from '../../web/layout.ts';
import {
  countUnused,
  countUnusedSecrets,
  deleteMeansOfKinds,
  insertMeans,
  useSecretOnce,
} from '../means-repository.ts';
import { recoveryCodesInfo } from './info.ts';
import { recoveryStepUpRoutes } from './step-up-routes.ts';
import { recoveryAccountRoutes } from './account-routes.ts';
import { recoveryKeepRoutes } from './keep-routes.ts';

// No 0/O, 1/I/L: codes are typed from paper.
const alphabet = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const codeCount = 10;

function newCode(): string {
  const chars = Array.from({ length: 10 }, () => alphabet[randomInt(alphabet.length)]).join('');
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}

/** What the citizen typed, in the stored form: no spaces or dashes, upper case. */
export function normalise(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, '');
}

/**
 * Recovery codes: ten single-use codes (about 49 bits each) for when the
 * authenticator app is lost, shown once and stored only as keyed hashes.
 * Each stands in for the app once (amr `otp`, a one-time password).
 */
export function recoveryCodes(deps: { clock: Clock; key: string }) {
  const hash = (code: string) => hmac(deps.key, `recovery|${normalise(code)}`);
  return {
    ...recoveryCodesInfo,
    amr: [...recoveryCodesInfo.amr],
    available: true,
    accountRoutes: recoveryAccountRoutes,
    routes: recoveryKeepRoutes,
    stepUpRoutes: recoveryStepUpRoutes,
    stepUpLabel: async (_app: unknown, _accountId: string, p: PageContext) => p.t('recovery.use'),
    /** Replaces all codes of the account with ten new ones and returns them, the only time they are readable. */
    async renew(tx: Queryable, accountId: string, level: Level): Promise<string[]> {
      await deleteMeansOfKinds(tx, accountId, recoveryCodesInfo.kinds);
      const codes = Array.from({ length: codeCount }, newCode);
      for (const code of codes)
        await insertMeans(tx, { accountId, kind: recoveryCodesInfo.id, secret: hash(code), level });
      return codes;
    },
    /** Uses a code up and answers the level it stands in for; undefined for a wrong or already used one. */
    async use(tx: Queryable, accountId: string, code: string): Promise<Level | undefined> {
      if (normalise(code).length !== 10) return undefined;
      return useSecretOnce(tx, { accountId, kinds: recoveryCodesInfo.kinds, secret: hash(code), at: deps.clock.now() });
    },
    /**
     * Whether these are all unused codes of the account, as shown once: only then are they given back as a file or a
     * print view, so the download echoes nothing else.
     */
    async allUnused(db: Queryable, accountId: string, codes: readonly string[]): Promise<boolean> {
      if (codes.length === 0 || codes.length > codeCount || new Set(codes).size !== codes.length) return false;
      if (!codes.every((c) => /^[A-HJ-NP-Z2-9]{5}-[A-HJ-NP-Z2-9]{5}$/.test(c))) return false;
      const secrets = codes.map(hash);
      return (await countUnusedSecrets(db, { accountId, kinds: recoveryCodesInfo.kinds, secrets })) === codes.length;
    },
    async remaining(db: Queryable, accountId: string): Promise<number> {
      return countUnused(db, accountId, recoveryCodesInfo.kinds);
    },
    async removeAll(tx: Queryable, accountId: string): Promise<void> {
      await deleteMeansOfKinds(tx, accountId, recoveryCodesInfo.kinds);
    },
  };
}

export type RecoveryCodes = ReturnType<typeof recoveryCodes>;
