import assert from 'node:assert/strict';
import { test } from 'node:test';
import { enrolmentLevel, mayAddMeans, meansMaximum, usedSecondFactor } from './second-factors.ts';

test('the account maximum is the password level until a stronger means exists', () => {
  assert.equal(meansMaximum(new Map()), 2);
  assert.equal(meansMaximum(new Map([['sms', 2]])), 2);
  assert.equal(
    meansMaximum(
      new Map([
        ['sms', 2],
        ['totp', 3],
      ]),
    ),
    3,
  );
});

test('a means is added only from a session at the account maximum (TR-03160-1)', () => {
  assert.equal(mayAddMeans({ meansLevel: 2 }, new Map()), true);
  assert.equal(mayAddMeans({ meansLevel: 2 }, new Map([['sms', 2]])), true);
  assert.equal(mayAddMeans({ meansLevel: 2 }, new Map([['webauthn', 3]])), false);
  assert.equal(mayAddMeans({ meansLevel: 3 }, new Map([['webauthn', 3]])), true);
});

test('SMS reaches substanziell only when registered in a session of that level (TR-03107-1)', () => {
  assert.equal(enrolmentLevel('sms', { meansLevel: 2 }, false), 2);
  assert.equal(enrolmentLevel('sms', { meansLevel: 3 }, false), 3);
  assert.equal(enrolmentLevel('sms', { meansLevel: 4 }, false), 3);
});

test('tokens reach substanziell, except after a loss blocked by e-mail, where the session must be strong', () => {
  assert.equal(enrolmentLevel('totp', { meansLevel: 2 }, false), 3);
  assert.equal(enrolmentLevel('webauthn', { meansLevel: 2 }, false), 3);
  assert.equal(enrolmentLevel('totp', { meansLevel: 2 }, true), 2);
  assert.equal(enrolmentLevel('webauthn', { meansLevel: 3 }, true), 3);
});

test('a session used a second factor after a step-up (mfa) or when it began with the card; the password alone never', () => {
  assert.equal(usedSecondFactor({ amr: ['pwd'], method: 'password' }), false);
  assert.equal(usedSecondFactor({ amr: ['pwd', 'otp', 'mfa'], method: 'password' }), true);
  assert.equal(usedSecondFactor({ amr: ['pwd', 'sms', 'mfa'], method: 'password' }), true);
  assert.equal(usedSecondFactor({ amr: ['hwk', 'pin'], method: 'eid' }), true);
});
