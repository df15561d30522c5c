import { randomInt } from 'node:crypto';
import type { Clock } from '../../platform/clock.ts';
import type { Queryable } from '../../platform/db/database.ts';
import { hmac, safeEqual } from '../../platform/crypto/tokens.ts';
import type { SmsGateway } from '../../platform/sms/gateway.ts';
import type { Level } from '../../session/limits.ts';
import { translator, type Language } from '../../text/index.ts';
import type { PageContext } from '../../web/layout.ts';
import type { AppContext } from '../../context.ts';
import { deleteMeansOfKinds, insertMeans, liveMeans, markMeansUsed } from '../means-repository.ts';
import { smsInfo } from './info.ts';
import {
  challengePhone,
  countWrongTry,
  deleteChallenge,
  deleteExpiredChallenges,
  lockChallenge,
  saveChallenge,
} from './sms-repository.ts';
import type { AuthenticationMethod } from '../method.ts';
import { maskPhone } from './phone.ts';
import { smsStepUpRoutes } from './step-up-routes.ts';
import { smsAccountRoutes } from './account-routes.ts';
import { smsAddSection } from './account-page.ts';

export type SmsPurpose = 'register' | 'authenticate';

/** A TAN lives five minutes and allows three tries (TR-03107-1 asks for short-lived, attempt-limited OTPs). */
export const tanLifetimeSeconds = 5 * 60;
export const tanAttempts = 3;

export interface RegisteredPhone {
  id: string;
  phone: string;
  level: Level;
}

/**
 * SMS-TAN (amr `sms`, RFC 8176). With the password it reaches substanziell
 * only when the number was registered in a session of that level or higher
 * (DESIGN.md §3, after BSI TR-03107-1); registered in a weaker session it
 * stays a second factor at level niedrig. One number per account.
 */
export function smsMethod(deps: {
  clock: Clock;
  gateway: SmsGateway | undefined;
  key: string;
  publicUrl: string;
  onFailure?: (error: unknown) => void;
}) {
  const hash = (sessionId: string, tan: string) => hmac(deps.key, `sms|${sessionId}|${tan}`);
  const host = new URL(deps.publicUrl).host;
  return {
    ...smsInfo,
    amr: [...smsInfo.amr],
    accountRoutes: smsAccountRoutes,
    addSection: ((p, o) =>
      smsAddSection(p, { ...o, available: deps.gateway !== undefined })) satisfies AuthenticationMethod['addSection'],
    stepUpRoutes: smsStepUpRoutes,
    detailOf: (publicData: Readonly<Record<string, unknown>> | null): string | undefined =>
      typeof publicData?.phone === 'string' ? maskPhone(publicData.phone) : undefined,
    /** The choice names the number the TAN goes to (masked). */
    async stepUpLabel(app: AppContext, accountId: string, p: PageContext): Promise<string> {
      const phone = (await app.methods.sms.registered(app.db, accountId))?.phone;
      return p.t('sms.use', { phone: phone ? maskPhone(phone) : '' });
    },
    /** Without a gateway (production without SMS_GATEWAY_URL) SMS-TAN is not offered. */
    available: deps.gateway !== undefined,
    /** The level a number reaches when it is registered now (the TR-03107-1 condition). */
    enrolmentLevel: (sessionMeansLevel: Level): Level => (sessionMeansLevel >= 3 ? 3 : 2),
    async registered(db: Queryable, accountId: string): Promise<RegisteredPhone | undefined> {
      const row = (await liveMeans(db, accountId, smsInfo.kinds))[0];
      const phone = row?.public_data?.phone;
      return row && typeof phone === 'string' ? { id: row.id, phone, level: row.level } : undefined;
    },
    /**
     * Makes a TAN for this session and purpose (replacing a pending one) and
     * sends it. The TAN is stored only as a keyed hash bound to the session.
     * A gateway failure leaves no challenge behind and answers false, so the
     * page can say so beside the button instead of an error page.
     */
    async sendTan(
      db: Queryable,
      o: { sessionId: string; purpose: SmsPurpose; phone: string; lang: Language },
    ): Promise<boolean> {
      if (!deps.gateway) return false;
      const tan = String(randomInt(0, 1_000_000)).padStart(6, '0');
      await saveChallenge(db, {
        sessionId: o.sessionId,
        purpose: o.purpose,
        phone: o.phone,
        tanHash: hash(o.sessionId, tan),
        expiresAt: new Date(deps.clock.now().getTime() + tanLifetimeSeconds * 1000),
      });
      // The last line lets phones offer the code for this site only (WICG origin-bound one-time codes).
      const text = `${translator(o.lang)('sms.text', { tan, minutes: tanLifetimeSeconds / 60 })}\n\n@${host} #${tan}`;
      try {
        await deps.gateway.send({ to: o.phone, text });
        return true;
      } catch (error) {
        deps.onFailure?.(error);
        await deleteChallenge(db, o.sessionId, o.purpose);
        return false;
      }
    },
    /** The number a TAN is pending for, to show it (masked) beside the field. */
    async pendingPhone(db: Queryable, sessionId: string, purpose: SmsPurpose): Promise<string | undefined> {
      return challengePhone(db, sessionId, purpose, deps.clock.now());
    },
    /**
     * Checks a TAN on a locked row: right → the challenge is used up and its
     * number returned; wrong → one try fewer, and after the last one the TAN
     * is void and a new one must be sent.
     */
    async checkTan(tx: Queryable, sessionId: string, purpose: SmsPurpose, tan: string): Promise<string | undefined> {
      const row = await lockChallenge(tx, sessionId, purpose);
      if (!row) return undefined;
      const expired = new Date(row.expires_at).getTime() <= deps.clock.now().getTime();
      const right = /^\d{6}$/.test(tan) && safeEqual(hash(sessionId, tan), row.tan_hash);
      if (right && !expired) {
        await deleteChallenge(tx, sessionId, purpose);
        return row.phone;
      }
      if (expired || row.attempts + 1 >= tanAttempts) await deleteChallenge(tx, sessionId, purpose);
      else await countWrongTry(tx, sessionId, purpose);
      return undefined;
    },
    /** Stores the confirmed number, replacing an earlier one of the account. */
    async register(tx: Queryable, accountId: string, phone: string, level: Level): Promise<void> {
      await deleteMeansOfKinds(tx, accountId, smsInfo.kinds);
      await insertMeans(tx, {
        accountId,
        kind: smsInfo.id,
        publicData: { phone },
        level,
        lastUsedAt: deps.clock.now(),
      });
    },
    async markUsed(tx: Queryable, meansId: string): Promise<void> {
      await markMeansUsed(tx, meansId, deps.clock.now());
    },
    /** Expired TANs go (TR-03107-1: short-lived). */
    async housekeeping(db: Queryable, now: Date): Promise<void> {
      await deleteExpiredChallenges(db, now);
    },
  };
}

export type SmsMethod = ReturnType<typeof smsMethod>;
