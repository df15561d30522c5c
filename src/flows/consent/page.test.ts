import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Account } from '../../identity/account-repository.ts';
import type { AttributeName, IdentityAttribute } from '../../identity/attributes.ts';
import { translator } from '../../text/index.ts';
import type { PageContext } from '../../web/layout.ts';
import { consentPage } from './page.ts';

const p: PageContext = { lang: 'de', t: translator('de'), path: '/', loggedIn: true, csrfToken: 'x' };
const account: Account = {
  id: 'a1',
  username: 'erika.m',
  email: 'erika@example.org',
  emailVerifiedAt: new Date(),
  language: 'de',
  state: 'active',
  createdAt: new Date(),
  lastLoginAt: null,
  meansResetAt: null,
};

function attributes(...list: Omit<IdentityAttribute, 'trustLevel'>[]): Map<AttributeName, IdentityAttribute> {
  return new Map(list.map((a) => [a.name, { ...a, trustLevel: a.source === 'typed' ? 1 : 4 }]));
}

const checkedAt = new Date('2026-03-02T10:00:00Z');
const data = attributes(
  { name: 'given_name', value: 'Erika', source: 'clerk', verifiedAt: checkedAt },
  { name: 'family_name', value: 'Mustermann', source: 'eid', verifiedAt: checkedAt },
  { name: 'birthdate', value: '1964-08-12', source: 'eid', verifiedAt: checkedAt },
  { name: 'nationality', value: 'DE', source: 'eid', verifiedAt: checkedAt },
  { name: 'country', value: 'DE', source: 'typed', verifiedAt: null },
);

const textOf = (page: string) => page.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

test('every datum appears once, in people’s format, with where it comes from', () => {
  const page = consentPage(p, {
    base: '/b',
    serviceName: 'Elternbeiträge Online',
    operator: undefined,
    scopes: ['openid', 'profile', 'address', 'verified_claims'],
    account,
    attributes: data,
  }).value;
  const text = textOf(page);
  assert.match(text, /Geburtsdatum 12\.08\.1964/);
  assert.match(text, /Staatsangehörigkeit deutsch/);
  assert.match(text, /Land Deutschland (?!vor Ort|mit der)/);
  assert.match(text, /Angaben ohne Vermerk haben Sie selbst eingetragen/);
  assert.match(text, /Vorname\(n\) Erika vor Ort anhand eines Ausweisdokuments geprüft am 02\.03\.2026/);
  assert.match(text, /Familienname Mustermann mit der Online-Ausweisfunktion gelesen am 02\.03\.2026/);
  // Checked data never read as typed in: each carries its note.
  assert.equal(text.match(/geprüft am|gelesen am/g)?.length, 4);
  // No field twice (verified_claims once listed the verified data a second time).
  assert.equal(text.match(/Familienname/g)?.length, 1);
  assert.match(text, /nicht übermittelt: Geburtsname, Geburtsort, Straße und Hausnummer, Postleitzahl, Ort\./);
  assert.doesNotMatch(page, /\b1964-08-12\b|>DE</);
});

test('a SAML request that names two attributes lists exactly those two', () => {
  const page = consentPage(p, {
    base: '/b',
    serviceName: 'Wohngeld',
    operator: undefined,
    scopes: ['openid', 'profile'],
    account,
    attributes: data,
    only: new Set<AttributeName>(['given_name', 'birthdate']),
  }).value;
  const listed = [...page.matchAll(/<dt class="kern-description-list-item__key">([^<]+)<\/dt>/g)].map((m) => m[1]);
  assert.deepEqual(listed, ['Vorname(n)', 'Geburtsdatum']);
  assert.doesNotMatch(page, /Staatsangehörigkeit|Familienname|Geburtsort/);
  assert.match(textOf(page), /für diese Arten von Daten: persönliche Daten/);
});
