import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Account } from '../../identity/account-repository.ts';
import type { AttributeName, IdentityAttribute } from '../../identity/attributes.ts';
import { attributeValue, scopeOfAttribute, urn } from './attributes.ts';

const account: Account = {
  id: 'a',
  username: 'erika.m',
  email: 'erika@example.org',
  emailVerifiedAt: new Date(),
  language: 'de',
  state: 'active',
  createdAt: new Date(),
  lastLoginAt: null,
  meansResetAt: null,
};
const verified = (name: AttributeName, value: string): [AttributeName, IdentityAttribute] => [
  name,
  { name, value, trustLevel: 4, source: 'clerk', verifiedAt: new Date() },
];
const attributes = new Map([
  verified('given_name', 'Erika'),
  verified('family_name', 'Mustermann'),
  verified('birthdate', '1964-08-12'),
  verified('nationality', 'DE'),
  ['locality', { name: 'locality', value: 'Köln', trustLevel: 1, source: 'typed', verifiedAt: null }] as [
    AttributeName,
    IdentityAttribute,
  ],
]);

test('an attribute is released at min(its level, the login level)', () => {
  const ctx = {
    account,
    attributes,
    sessionLevel: 3 as const,
    amr: ['pwd', 'otp', 'mfa'],
    method: 'password',
    bpk2: 'x'.repeat(43),
  };
  assert.deepEqual(attributeValue(urn.givenName, ctx), { name: urn.givenName, value: 'Erika', trustLevel: 3 });
  assert.deepEqual(attributeValue(urn.locality, ctx), { name: urn.locality, value: 'Köln', trustLevel: 1 });
  assert.equal(attributeValue(urn.nationality, ctx)?.value, 'D', 'ICAO code for Germany');
  assert.equal(attributeValue(urn.gender, ctx), undefined, 'not held');
  assert.equal(attributeValue(urn.citizenQaaLevel, ctx)?.value, 'STORK-QAA-Level-4');
  assert.equal(attributeValue(urn.mfa, ctx)?.value, 'true');
  assert.equal(attributeValue(urn.assertionProvedBy, ctx)?.value, 'Benutzername');
  assert.equal(attributeValue(urn.bpk2, ctx)?.value.length, 43);
});

test('attributes fall into the consent groups of the OIDC scopes', () => {
  assert.equal(scopeOfAttribute(urn.givenName), 'profile');
  assert.equal(scopeOfAttribute(urn.postalCode), 'address');
  assert.equal(scopeOfAttribute(urn.email), 'email');
  assert.equal(scopeOfAttribute(urn.telephone), 'phone');
  assert.equal(scopeOfAttribute(urn.bpk2), 'openid');
});
