import type { MethodInfo } from '../method.ts';

/** Security keys and passkeys (WebAuthn): with the password substanziell, amr `hwk` (RFC 8176 §2). */
export const webauthnInfo = {
  id: 'webauthn',
  kinds: ['webauthn'],
  factor: 'second',
  amr: ['hwk'],
  level: 3,
  title: 'webauthn.title',
} as const satisfies MethodInfo;
