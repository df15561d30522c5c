import type { MethodInfo } from '../method.ts';

/**
 * SMS-TAN, amr `sms` (RFC 8176 §2): substanziell only for a number
 * registered in a session of that level (DESIGN.md §3, TR-03107-1).
 */
export const smsInfo = {
  id: 'sms',
  kinds: ['sms'],
  factor: 'second',
  amr: ['sms'],
  level: 3,
  title: 'sms.title',
  levelNeedsStrongSession: true,
  lowLevelNote: 'sms.levelLow',
} as const satisfies MethodInfo;
