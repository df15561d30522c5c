import { attributeNames, type AttributeName } from '../../identity/attributes.ts';
import type { Form } from '../../platform/http/forms.ts';
import type { FieldError } from '../../web/components.ts';
import { hasControlCharacters } from '../validation.ts';
import { isCountryCode, parseDate } from '../../web/formats.ts';

/** A date of birth as ISO 8601, from 12.08.1964 or 1964-08-12: a real day, from 1900 to today. */
function birthDate(value: string): string | undefined {
  const iso = parseDate(value);
  if (!iso) return undefined;
  return Number(iso.slice(0, 4)) >= 1900 && Date.parse(iso) <= Date.now() ? iso : undefined;
}

/** Checks the typed-in profile fields; returns the cleaned values (ISO dates, upper-case country codes) and errors. */
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
      if (name === 'birthdate') {
        const iso = birthDate(value);
        if (iso) value = iso;
        else errors.push({ field: name, message: 'attr.invalidDate' });
      }
      // Chosen from a list (web/formats.ts): anything else is not a country of ISO 3166-1.
      if (name === 'country' || name === 'nationality') {
        value = value.toUpperCase();
        if (!isCountryCode(value)) errors.push({ field: name, message: 'attr.invalidCountry' });
      }
      if (name === 'phone_number' && !/^\+?[0-9][0-9 ()/-]{3,30}$/.test(value))
        errors.push({ field: name, message: 'attr.invalidPhone' });
    }
    values[name] = value;
  }
  return { values, errors };
}
