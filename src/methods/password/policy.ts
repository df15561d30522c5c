import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { MessageId } from '../../text/index.ts';

const require = createRequire(import.meta.url);
// 49,233 most common passwords (zxcvbn's list, from leaked-password corpora), shipped with the package.
// Read with the first password check, not at start: the server's idle memory counts (issue 7).
let loaded: Set<string> | undefined;
// Read as text, not required: require() would keep the parsed array in its cache beside the set.
const commonPasswords = (): Set<string> =>
  (loaded ??= new Set<string>(
    (
      JSON.parse(readFileSync(require.resolve('@zxcvbn-ts/language-common/src/passwords.json'), 'utf8')) as string[]
    ).map((p) => p.toLowerCase()),
  ));

export const minPasswordLength = 10;
export const maxPasswordLength = 256;

/**
 * NIST SP 800-63B §5.1.1.2: at least a minimum length, no composition rules,
 * and a check against a list of commonly used passwords.
 */
export function passwordProblem(
  password: string,
  context: { username?: string; email?: string } = {},
): MessageId | undefined {
  if ([...password].length < minPasswordLength) return 'password.tooShort';
  if (password.length > maxPasswordLength) return 'password.tooLong';
  const lower = password.toLowerCase();
  if (commonPasswords().has(lower)) return 'password.common';
  if (context.username && lower === context.username.toLowerCase()) return 'password.likeUsername';
  if (context.email && lower === context.email.toLowerCase()) return 'password.likeUsername';
  return undefined;
}

export function commonPasswordCount(): number {
  return commonPasswords().size;
}
