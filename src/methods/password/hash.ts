import { hash, verify } from '@node-rs/argon2';

// @node-rs/argon2's Algorithm.Argon2id (a const enum, not importable under verbatimModuleSyntax).
const argon2id = 2;

export interface Argon2Params {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

/** argon2id password hashing (OWASP Password Storage Cheat Sheet) with renewal of old parameters. */
export function createPasswordHasher(params: Argon2Params) {
  const options = { algorithm: argon2id, ...params };
  // A hash of a random password, verified against for unknown accounts so
  // both answers take the same time (no account enumeration by timing).
  const dummy = hash(`unknown-account-${Math.random()}`, options);

  return {
    hash: (password: string) => hash(password, options),
    verify: async (stored: string, password: string): Promise<boolean> => {
      try {
        return await verify(stored, password);
      } catch {
        return false;
      }
    },
    /** Burns the same time as a real verification. */
    verifyDummy: async (password: string): Promise<void> => {
      await verify(await dummy, password).catch(() => false);
    },
    /** True when the stored hash was made with other parameters than configured now. */
    needsRehash(stored: string): boolean {
      const match = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(stored);
      if (!match) return true;
      return (
        Number(match[1]) !== params.memoryCost ||
        Number(match[2]) !== params.timeCost ||
        Number(match[3]) !== params.parallelism
      );
    },
  };
}

export type PasswordHasher = ReturnType<typeof createPasswordHasher>;
