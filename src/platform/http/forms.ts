import type { MessageId } from '../../text/index.ts';
import { forms } from '../../text/forms.ts';
import type { FieldError } from '../../web/components.ts';
import { AppError } from './errors.ts';

/** A parsed form: only single string values; anything else is a bad request. */
export type Form = Record<string, string>;

/** Longest value any field of ours accepts; larger bodies never reach a handler (bodyLimit). */
export const maxFieldLength = 4096;

export function readForm(body: unknown): Form {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw new AppError('bad_request');
  const form: Form = {};
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    // A repeated field arrives as an array: never ambiguous input (which value wins?).
    if (typeof value !== 'string') throw new AppError('bad_request');
    if (key.length > 100 || value.length > maxFieldLength) throw new AppError('payload_too_large');
    form[key] = value;
  }
  return form;
}

export interface FieldRule {
  name: string;
  max: number;
  required?: boolean;
}

/** Fields whose "missing" message another field's speaks for (the password that confirms an action). */
const sameMessageAs: Record<string, string> = {
  delete_password: 'confirmPassword',
  email_password: 'confirmPassword',
  means_password: 'confirmPassword',
  renew_password: 'confirmPassword',
  key_name: 'name',
  means_name: 'name',
};

// Every field with its own message in the catalogue (text/forms.ts).
const missingMessages: ReadonlySet<string> = new Set(Object.keys(forms).map((id) => id.slice('form.missing.'.length)));

/**
 * The message for an empty required field, naming what to enter ("Geben Sie
 * einen Benutzernamen ein"), never the same sentence for every field (GOV.UK
 * error messages; WCAG 3.3.3).
 */
export function missingMessage(field: string): MessageId {
  const key = sameMessageAs[field] ?? field;
  return missingMessages.has(key) ? (`form.missing.${key}` as MessageId) : 'form.required';
}

/** Trims every field and checks presence and length; returns the cleaned values and the errors. */
export function checkFields(
  form: Form,
  rules: readonly FieldRule[],
): { values: Record<string, string>; errors: FieldError[] } {
  const values: Record<string, string> = {};
  const errors: FieldError[] = [];
  for (const rule of rules) {
    const raw = form[rule.name] ?? '';
    const value = rule.name.toLowerCase().includes('password') ? raw : raw.trim();
    values[rule.name] = value;
    if (value.length > rule.max) errors.push({ field: rule.name, message: 'form.tooLong', params: { max: rule.max } });
    else if (rule.required !== false && value === '')
      errors.push({ field: rule.name, message: missingMessage(rule.name) });
  }
  return { values, errors };
}

/** The query string, with the same rules as a form: one string per name, or a 400. */
export function readQuery(query: unknown): Form {
  return readForm(query);
}
