import type { AppContext } from '../context.ts';
import { perReauthentication } from './password/throttle.ts';

/**
 * Checks a typed code throttled like a password check, per account: codes
 * are short (TR-03107-1). The app's codes and the recovery codes share one
 * key, so switching between them buys no attempts.
 */
export async function throttledCode<T>(
  app: AppContext,
  accountId: string,
  check: () => Promise<T | undefined>,
): Promise<T | undefined> {
  const key = `totp:account:${accountId}`;
  await app.loginThrottle.attempt([{ key, policy: perReauthentication }]);
  const result = await check();
  if (result !== undefined) await app.loginThrottle.succeeded([key]);
  return result;
}
