import type { FieldError } from '../web/components.ts';

/**
 * Username: 3 to 64 Latin letters (with umlauts and accents), digits 0-9, dot,
 * hyphen, underscore. One script only, so no Cyrillic or Greek look-alike can
 * pose as another citizen's name (Unicode TR 39 §5, mixed-script confusables).
 */
export const usernamePattern = /^[\p{Script=Latin}0-9._-]{3,64}$/u;

/** A pragmatic e-mail check (HTML's input type=email rule); the confirmation mail is the real test. */
const emailPattern =
  /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)+$/;

// Control characters (C0, DEL, C1) never belong in a name or an address.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const controlCharacters = /[\u0000-\u001f\u007f-\u009f]/;

export function hasControlCharacters(value: string): boolean {
  return controlCharacters.test(value);
}

export function isEmail(value: string): boolean {
  return value.length <= 254 && emailPattern.test(value);
}

export function checkEmail(field: string, value: string): FieldError | undefined {
  return value === '' || isEmail(value) ? undefined : { field, message: 'register.emailInvalid' };
}
