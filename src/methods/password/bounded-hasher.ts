import type { WorkLimiter } from '../../platform/http/work-limiter.ts';
import type { PasswordHasher } from './hash.ts';

/**
 * Every argon2 computation through one work limiter, so the total argon2
 * work of the process is bounded however many addresses send passwords
 * (issue 13 §4). A refused job throws `busy` (503 with Retry-After).
 */
export function boundedHasher(hasher: PasswordHasher, limiter: WorkLimiter): PasswordHasher {
  return {
    hash: (password) => limiter.run(() => hasher.hash(password)),
    verify: (stored, password) => limiter.run(() => hasher.verify(stored, password)),
    verifyDummy: (password) => limiter.run(() => hasher.verifyDummy(password)),
    needsRehash: (stored) => hasher.needsRehash(stored),
  };
}
