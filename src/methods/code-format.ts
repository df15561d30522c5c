/**
 * A typed one-time code (authenticator app, SMS) as its six digits, without
 * the spaces apps show or people type ("123 456"); undefined when it is not
 * six digits. Such an input cannot be right, so the pages name the format
 * instead of "wrong code", and it is not counted as a guess: counting
 * protects against guessing, and a code of the wrong form guesses nothing.
 */
export function sixDigitCode(typed: string): string | undefined {
  const code = typed.replace(/\s/g, '');
  return /^\d{6}$/.test(code) ? code : undefined;
}
