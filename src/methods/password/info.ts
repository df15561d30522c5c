import type { MethodInfo } from '../method.ts';

/** Username or e-mail plus password: level niedrig on its own (DESIGN.md §3), amr `pwd` (RFC 8176 §2). */
export const passwordInfo = {
  id: 'password',
  kinds: ['password'],
  factor: 'first',
  amr: ['pwd'],
  level: 2,
  title: 'means.password',
} as const satisfies MethodInfo;
