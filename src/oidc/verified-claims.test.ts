import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AttributeName, AttributeSource, IdentityAttribute } from '../identity/attributes.ts';
import type { StoredEvidence } from './evidence-repository.ts';
import { claimsInVerifiedClaims, verifiedClaims, verifiedClaimsDiscovery } from './verified-claims.ts';

const at = new Date('2026-03-02T09:15:30.123Z');

function attribute(
  name: AttributeName,
  value: string,
  source: AttributeSource,
  trustLevel: 1 | 2 | 3 | 4,
  verifiedAt: Date | null = source === 'typed' ? null : at,
): IdentityAttribute {
  return { name, value, source, trustLevel, verifiedAt };
}

const clerkChecked = new Map<AttributeName, IdentityAttribute>([
  ['given_name', attribute('given_name', 'Erika', 'clerk', 4)],
  ['family_name', attribute('family_name', 'Mustermann', 'clerk', 4)],
  ['birthdate', attribute('birthdate', '1964-08-12', 'clerk', 4)],
  ['locality', attribute('locality', 'Köln', 'typed', 1)],
  ['phone_number', attribute('phone_number', '+49 221 1234', 'typed', 1)],
]);
const clerkEvidence: StoredEvidence = { document: 'idcard', clerk: 'Meier', office: 'Bürgeramt Köln-Porz' };
const evidence = new Map<AttributeName, StoredEvidence>(
  ['given_name', 'family_name', 'birthdate'].map((n) => [n as AttributeName, clerkEvidence]),
);

describe('verified_claims (OIDC4IA, IDA schema)', () => {
  test('clerk-checked data at the level of a level-4 login, with document evidence', () => {
    const result = verifiedClaims({
      attributes: clerkChecked,
      evidence,
      sessionLevel: 4,
      scopes: ['openid', 'profile', 'address', 'verified_claims'],
    });
    assert.deepEqual(result, [
      {
        verification: {
          trust_framework: 'eidas',
          assurance_level: 'high',
          time: '2026-03-02T09:15:30Z',
          evidence: [
            {
              type: 'document',
              check_details: [
                { check_method: 'vpip', organization: 'Bürgeramt Köln-Porz', time: '2026-03-02T09:15:30Z' },
                { check_method: 'pvp', organization: 'Bürgeramt Köln-Porz', time: '2026-03-02T09:15:30Z' },
              ],
              document_details: { type: 'idcard' },
            },
          ],
        },
        claims: { given_name: 'Erika', family_name: 'Mustermann', birthdate: '1964-08-12' },
      },
    ]);
  });

  test("the login's level caps the attribute's: a password login (2) releases level-4 data as low", () => {
    const [low] =
      verifiedClaims({ attributes: clerkChecked, evidence, sessionLevel: 2, scopes: ['profile', 'verified_claims'] }) ??
      [];
    assert.equal((low?.verification as { assurance_level: string }).assurance_level, 'low');
    const [substantial] =
      verifiedClaims({ attributes: clerkChecked, evidence, sessionLevel: 3, scopes: ['profile', 'verified_claims'] }) ??
      [];
    assert.equal((substantial?.verification as { assurance_level: string }).assurance_level, 'substantial');
  });

  test('a basis login (1) or an unknown level releases nothing as verified', () => {
    assert.equal(
      verifiedClaims({ attributes: clerkChecked, evidence, sessionLevel: 1, scopes: ['profile', 'verified_claims'] }),
      undefined,
    );
    assert.equal(
      verifiedClaims({
        attributes: clerkChecked,
        evidence,
        sessionLevel: undefined,
        scopes: ['profile', 'verified_claims'],
      }),
      undefined,
    );
  });

  test('typed-in data never appear inside verified_claims', () => {
    const result =
      verifiedClaims({
        attributes: clerkChecked,
        evidence,
        sessionLevel: 4,
        scopes: ['profile', 'address', 'phone', 'verified_claims'],
      }) ?? [];
    const released = result.flatMap((v) => Object.keys(v.claims as object));
    assert.ok(!released.includes('address'), 'the typed locality stays a plain claim');
    assert.ok(!released.includes('phone_number'));
    const onlyTyped = new Map([...clerkChecked].filter(([, a]) => a.source === 'typed'));
    assert.equal(
      verifiedClaims({
        attributes: onlyTyped,
        evidence,
        sessionLevel: 4,
        scopes: ['profile', 'address', 'verified_claims'],
      }),
      undefined,
    );
  });

  test('only claims of granted scopes appear: verified_claims alone releases no data', () => {
    assert.equal(
      verifiedClaims({ attributes: clerkChecked, evidence, sessionLevel: 4, scopes: ['openid', 'verified_claims'] }),
      undefined,
    );
    const withAddress = new Map(clerkChecked).set('locality', attribute('locality', 'Köln', 'clerk', 4));
    const addressOnly =
      verifiedClaims({ attributes: withAddress, evidence, sessionLevel: 4, scopes: ['address', 'verified_claims'] }) ??
      [];
    assert.deepEqual(
      addressOnly.map((v) => v.claims),
      [{ address: { locality: 'Köln', formatted: 'Köln' } }],
    );
  });

  test('different levels and verifications become separate objects, highest level first', () => {
    const mixed = new Map<AttributeName, IdentityAttribute>([
      ['given_name', attribute('given_name', 'Erika', 'clerk', 4)],
      ['family_name', attribute('family_name', 'Mustermann', 'clerk', 4)],
      ['nationality', attribute('nationality', 'DE', 'upstream', 3, new Date('2026-01-10T08:00:00Z'))],
    ]);
    const result =
      verifiedClaims({ attributes: mixed, evidence, sessionLevel: 4, scopes: ['profile', 'verified_claims'] }) ?? [];
    assert.equal(result.length, 2);
    assert.deepEqual(result[0]?.claims, { given_name: 'Erika', family_name: 'Mustermann' });
    assert.deepEqual(result[1], {
      verification: { trust_framework: 'eidas', assurance_level: 'substantial', time: '2026-01-10T08:00:00Z' },
      claims: { nationalities: ['DE'] },
    });
    const capped =
      verifiedClaims({ attributes: mixed, evidence, sessionLevel: 3, scopes: ['profile', 'verified_claims'] }) ?? [];
    assert.equal(capped.length, 2, 'same level, but different verifications stay apart');
    assert.ok(capped.every((v) => (v.verification as { assurance_level: string }).assurance_level === 'substantial'));
  });

  test('eID data carry the chip and PIN checks; the document types are the predefined ones', () => {
    const eid = new Map<AttributeName, IdentityAttribute>([
      ['family_name', attribute('family_name', 'Mustermann', 'eid', 4)],
    ]);
    const [fromEid] =
      verifiedClaims({
        attributes: eid,
        evidence: new Map([['family_name', { document: 'residence-permit' }]]),
        sessionLevel: 4,
        scopes: ['profile', 'verified_claims'],
      }) ?? [];
    assert.deepEqual((fromEid?.verification as { evidence: unknown }).evidence, [
      {
        type: 'document',
        check_details: [
          { check_method: 'vcrypt', time: '2026-03-02T09:15:30Z' },
          { check_method: 'token', time: '2026-03-02T09:15:30Z' },
        ],
        document_details: { type: 'residence_permit' },
      },
    ]);
  });

  test('discovery announces what the responses can contain (OIDC4IA §8)', () => {
    assert.deepEqual(verifiedClaimsDiscovery.trust_frameworks_supported, ['eidas']);
    assert.deepEqual(claimsInVerifiedClaims, [
      'given_name',
      'family_name',
      'birthdate',
      'birth_family_name',
      'place_of_birth',
      'nationalities',
      'address',
    ]);
    assert.deepEqual(verifiedClaimsDiscovery.documents_supported, ['idcard', 'passport', 'residence_permit']);
    assert.deepEqual(verifiedClaimsDiscovery.evidence_supported, ['document']);
  });
});
