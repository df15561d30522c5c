import QRCode from 'qrcode';
import type { AppContext } from '../../context.ts';

/** The key being set up (the pending one, or a fresh one) as text and as a QR code for the app. */
export async function totpEnrolment(app: AppContext, accountId: string): Promise<{ secret: string; qrDataUrl: string }> {
  const account = await app.accounts.byId(accountId);
  const label = account?.username ?? accountId;
  const pending = await app.methods.totp.pendingSecret(app.db, accountId);
  const { secret, uri } = pending ? { secret: pending, uri: app.methods.totp.uri(label, pending) } : await app.methods.totp.startEnrolment(app.db, accountId, label);
  return { secret, qrDataUrl: await QRCode.toDataURL(uri, { margin: 2, width: 200 }) };
}
