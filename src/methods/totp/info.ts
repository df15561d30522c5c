import type { MethodInfo } from '../method.ts';

/** Software token (RFC 6238): with the password substanziell (DESIGN.md §3), amr `otp` (RFC 8176 §2). */
export const totpInfo = {
  id: 'totp',
  kinds: ['totp'],
  factor: 'second',
  amr: ['otp'],
  level: 3,
  title: 'means.totp',
  stepUpSetup: true,
} as const satisfies MethodInfo;
