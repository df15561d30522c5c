import QRCode from 'qrcode';
import type { AppContext } from '../../context.ts';
import { perReauthentication } from '../../methods/password/throttle.ts';

/** The key being set up (the pending one, or a fresh one) as text and as a QR code for the app. */
export async function totpEnrolment(app: AppContext, accountId: string): Promise<{ secret: string; qrDataUrl: string }> {
  const account = await app.accounts.byId(accountId);
  const label = account?.username ?? accountId;
  const pending = await app.methods.totp.pendingSecret(app.db, accountId);
  const { secret, uri } = pending ? { secret: pending, uri: app.methods.totp.uri(label, pending) } : await app.methods.totp.startEnrolment(app.db, accountId, label);
  return { secret, qrDataUrl: await QRCode.toDataURL(uri, { margin: 2, width: 200 }) };
}

/**
 * Confirms a pending software token with its first code (TR-03160-1: the
 * new means confirms itself) and issues the recovery codes, all in one
 * transaction; throttled like every code check. Undefined on a wrong code.
 */
export async function confirmTotpEnrolment(app: AppContext, accountId: string, code: string): Promise<string[] | undefined> {
  const key = `totp:account:${accountId}`;
  await app.loginThrottle.attempt([{ key, policy: perReauthentication }]);
  const codes = await app.db.transaction(async (tx) => {
    if (!(await app.methods.totp.check(tx, accountId, code.trim(), true))) return undefined;
    await app.audit.record(tx, { actor: `account:${accountId}`, action: 'means.added', subject: `account:${accountId}`, outcome: 'success', details: { kind: 'totp' } });
    return app.methods.recovery.renew(tx, accountId);
  });
  if (codes) await app.loginThrottle.succeeded([key]);
  return codes;
}
