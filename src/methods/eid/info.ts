import type { MethodInfo } from '../method.ts';

/**
 * The eID card and Smart-eID: a first factor that reaches hoch
 * (TR-03107-1). Its links live in `eid_links`, not in
 * `authentication_means`; the `amr` of a reading depends on the
 * document (service.ts `eidAmr`, RFC 8176 §2).
 */
export const eidInfo = {
  id: 'eid',
  kinds: [],
  factor: 'first',
  amr: ['sc', 'hwk', 'pin', 'mfa'],
  level: 4,
  title: 'eid.choice.title',
} as const satisfies MethodInfo;
