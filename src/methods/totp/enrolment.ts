import type { AppContext } from '../../context.ts';
import { notifyChange } from '../../flows/settings/notify.ts';
import { enrolmentRules } from '../../login/enrolment-rules.ts';
import type { Level } from '../../session/limits.ts';
import type { SsoSession } from '../../session/sso-session-repository.ts';
import { perReauthentication } from '../password/throttle.ts';

/**
 * The key being set up (the pending one, or a fresh one) as text, as a QR code for the app on another device, and as
 * its `otpauth://` URI for an app on the same device (a phone cannot scan its own screen).
 */
export async function totpEnrolment(
  app: AppContext,
  accountId: string,
): Promise<{ secret: string; qrDataUrl: string; uri: string }> {
  const account = await app.accounts.byId(accountId);
  const label = account?.username ?? accountId;
  const pending = await app.methods.totp.pendingSecret(app.db, accountId);
  const { secret, uri } = pending
    ? { secret: pending, uri: await app.methods.totp.uri(label, pending) }
    : await app.methods.totp.startEnrolment(app.db, accountId, label);
  // Loaded on first use: few requests set up an app, and the server's idle memory counts (issue 7).
  const { default: QRCode } = await import('qrcode');
  return { secret, uri, qrDataUrl: await QRCode.toDataURL(uri, { margin: 2, width: 200 }) };
}

/**
 * Confirms a pending software token with its first code (TR-03160-1: the
 * new means confirms itself) and issues the recovery codes, all in one
 * transaction; throttled like every code check. Undefined on a wrong code.
 */
export async function confirmTotpEnrolment(
  app: AppContext,
  session: SsoSession,
  code: string,
): Promise<{ codes: string[]; level: Level } | undefined> {
  const accountId = session.accountId;
  const key = `totp:account:${accountId}`;
  await app.loginThrottle.attempt([{ key, policy: perReauthentication }]);
  const { level } = await enrolmentRules(app, session, 'totp');
  const codes = await app.db.transaction(async (tx) => {
    if ((await app.methods.totp.check(tx, accountId, code.trim(), level)) === undefined) return undefined;
    await app.audit.account(tx, accountId, 'means.added', { kind: 'totp', level });
    await notifyChange(app, tx, accountId, 'meansAdded', 'totp');
    // The codes stand in for the app, so they reach what it reaches.
    return app.methods.recovery.renew(tx, accountId, level);
  });
  if (!codes) return undefined;
  await app.loginThrottle.succeeded([key]);
  return { codes, level };
}
