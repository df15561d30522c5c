import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readProfile } from './profile-input.ts';

test('valid profile values are cleaned', () => {
  const { values, errors } = readProfile({
    given_name: '  Erika ',
    birthdate: '1964-08-12',
    country: 'de',
    phone_number: '+49 211 12345',
  });
  assert.deepEqual(errors, []);
  assert.equal(values.given_name, 'Erika');
  assert.equal(values.country, 'DE');
});

test('impossible dates, bad codes, control characters and long values are refused', () => {
  const { errors } = readProfile({
    birthdate: '1990-02-30',
    nationality: 'GER',
    family_name: 'a\u0000b',
    locality: 'x'.repeat(201),
    phone_number: 'call me',
  });
  assert.deepEqual(errors.map((e) => e.field).sort(), [
    'birthdate',
    'family_name',
    'locality',
    'nationality',
    'phone_number',
  ]);
});

test('a date of birth as people write it is stored as ISO 8601; a country must be one of ISO 3166-1', () => {
  assert.equal(readProfile({ birthdate: '12.08.1964' }).values.birthdate, '1964-08-12');
  assert.equal(readProfile({ birthdate: '1.2.1990' }).values.birthdate, '1990-02-01');
  assert.deepEqual(
    readProfile({ birthdate: '31.02.1990' }).errors.map((e) => e.message),
    ['attr.invalidDate'],
  );
  assert.deepEqual(
    readProfile({ country: 'XX' }).errors.map((e) => e.message),
    ['attr.invalidCountry'],
  );
  assert.deepEqual(
    readProfile({ nationality: 'eu' }).errors.map((e) => e.message),
    ['attr.invalidCountry'],
  );
  assert.equal(readProfile({ nationality: 'xk' }).values.nationality, 'XK');
});
