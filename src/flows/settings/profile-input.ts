import { attributeNames, type AttributeName } from '../../identity/attributes.ts';
import type { Form } from '../../platform/http/forms.ts';
import type { FieldError } from '../../web/components.ts';
import { hasControlCharacters } from '../validation.ts';

function validDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return (
    !Number.isNaN(date.getTime()) &&
    date.toISOString().startsWith(value) &&
    Number(match[1]) >= 1900 &&
    date.getTime() <= Date.now()
  );
}

/** Checks the typed-in profile fields; returns the cleaned values (country codes upper-cased) and errors. */
export function readProfile(form: Form): { values: Partial<Record<AttributeName, string>>; errors: FieldError[] } {
  const values: Partial<Record<AttributeName, string>> = {};
  const errors: FieldError[] = [];
  for (const name of attributeNames) {
    const raw = form[name];
    if (raw === undefined) continue;
    let value = raw.trim().normalize('NFC');
    if (value.length > 200) {
      errors.push({ field: name, message: 'form.tooLong', params: { max: 200 } });
      continue;
    }
    if (hasControlCharacters(value)) {
      errors.push({ field: name, message: 'attr.invalidText' });
      continue;
    }
    if (value !== '') {
      if (name === 'birthdate' && !validDate(value)) errors.push({ field: name, message: 'attr.invalidDate' });
      if (name === 'country' || name === 'nationality') {
        value = value.toUpperCase();
        if (!/^[A-Z]{2}$/.test(value)) errors.push({ field: name, message: 'attr.invalidCountry' });
      }
      if (name === 'phone_number' && !/^\+?[0-9][0-9 ()/-]{3,30}$/.test(value))
        errors.push({ field: name, message: 'attr.invalidPhone' });
    }
    values[name] = value;
  }
  return { values, errors };
}
