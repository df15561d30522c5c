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
