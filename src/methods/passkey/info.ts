import type { MethodInfo } from '../method.ts';

/**
 * A passkey on its own, without the password: a discoverable WebAuthn credential used with user verification. It
 * proves possession of the device and, through its PIN or biometrics, knowledge or inherence: a multi-factor
 * authenticator, which BSI TR-03107-1 rates substanziell (README "Passkeys without a password"). amr `hwk` and `mfa`
 * (RFC 8176 §2); the credentials are the security keys' rows (methods/webauthn), so it keeps no kind of its own.
 */
export const passkeyInfo = {
  id: 'passkey',
  kinds: [],
  factor: 'first',
  amr: ['hwk', 'mfa'],
  level: 3,
  title: 'passkey.title',
} as const satisfies MethodInfo;
