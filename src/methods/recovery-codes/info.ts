import type { MethodInfo } from '../method.ts';

/** Recovery codes stand in for the app once: a one-time password, amr `otp` (RFC 8176 §2). */
export const recoveryCodesInfo = {
  id: 'recovery',
  kinds: ['recovery'],
  factor: 'backup',
  amr: ['otp'],
  level: 3,
  title: 'recovery.title',
  standsInFor: 'totp',
} as const satisfies MethodInfo;
