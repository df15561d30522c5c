import { test } from 'node:test';
import assert from 'node:assert/strict';
import { answerFor } from './answer.ts';
import { testCardIds, testCards } from './cards.ts';
import { restrictedIdentifier } from './restricted-id.ts';
import { completeSession, createSimulatorStore } from './sessions.ts';

test('RestrictedID: 64 upper-case hex, stable per card and sector, different across cards and across sectors', () => {
  const erika = restrictedIdentifier('erika', 'servicekonto-dev');
  assert.match(erika, /^[0-9A-F]{64}$/);
  assert.equal(restrictedIdentifier('erika', 'servicekonto-dev'), erika);
  assert.notEqual(restrictedIdentifier('smart-eid', 'servicekonto-dev'), erika);
  assert.notEqual(restrictedIdentifier('erika', 'other'), erika);
  const all = new Set(testCardIds.map((id) => restrictedIdentifier(id, 'servicekonto-dev')));
  assert.equal(all.size, testCardIds.length);
});

test('the test cards: Erika as in the AusweisApp simulator, valid cards do not rot, the expired one expired yesterday', () => {
  const now = new Date('2030-06-01T00:00:00Z');
  const cards = testCards(now);
  assert.deepEqual(Object.keys(cards).sort(), [...testCardIds].sort());
  assert.equal(cards.erika.data.givenNames, 'ERIKA');
  assert.equal(cards.erika.data.familyNames, 'MUSTERMANN');
  assert.equal(cards.erika.data.birthName, 'GABLER');
  assert.equal(cards.erika.data.communityId, '02760503150000');
  assert.equal(cards.erika.data.dateOfExpiry, '2035-06-01');
  assert.equal(cards.expired.data.dateOfExpiry, '2030-05-31');
  assert.equal(cards.permit.data.documentType, 'AR');
  assert.equal(cards['no-address'].data.placeOfResidence?.kind, 'none');
  assert.equal(cards['smart-eid'].eidType, 'SECertified');
});

test('answerFor: PROHIBITED is never sent; RestrictedID follows the store sector; no EIDTypeResponse without EIDTypeRequest', () => {
  const card = testCards(new Date()).erika;
  const answer = answerFor({ useOperations: { GivenNames: 'REQUIRED', RestrictedID: 'REQUIRED' } }, card, {}, 's1');
  assert.deepEqual(Object.keys(answer.personalData ?? {}).sort(), ['givenNames', 'restrictedId']);
  assert.equal(answer.personalData?.restrictedId?.id, restrictedIdentifier('erika', 's1'));
  assert.equal(answer.eidType, undefined);
  // A Smart-eID below the requested level is accepted only when its type is explicitly ALLOWED (TR-03130-1 §3.3.12).
  const sw = testCards(new Date())['smart-eid-sw'];
  const request = {
    useOperations: { GivenNames: 'REQUIRED' as const },
    levelOfAssurance: 'http://bsi.bund.de/eID/LoA/hoch' as const,
  };
  assert.equal(answerFor(request, sw, {}, 's1').result.minor?.endsWith('#deniedDocument'), true);
  assert.equal(
    answerFor({ ...request, eidTypes: { HWKeyStore: 'ALLOWED' } }, sw, {}, 's1').levelOfAssurance,
    'http://bsi.bund.de/eID/LoA/substantiell',
  );
});

test('completeSession: unknown PSK ID and a second completion are refused; an expired session is gone', () => {
  const store = createSimulatorStore({ ttlMs: 1000 });
  assert.equal(completeSession(store, 'nope', 'erika'), false);
  const psk = { id: 'psk-0123456789abcdef', key: 'AB'.repeat(32) };
  store.sessions.set('S1', { sessionId: 'S1', psk, request: { useOperations: {} }, createdAt: 0, lastCounter: 0 });
  store.byPskId.set(psk.id, 'S1');
  assert.equal(completeSession(store, psk.id, 'erika', {}, new Date(500)), true);
  assert.equal(completeSession(store, psk.id, 'erika', {}, new Date(600)), false);
  store.sessions.set('S2', {
    sessionId: 'S2',
    psk: { ...psk, id: 'psk-second-0123456789' },
    request: { useOperations: {} },
    createdAt: 0,
    lastCounter: 0,
  });
  store.byPskId.set('psk-second-0123456789', 'S2');
  assert.equal(completeSession(store, 'psk-second-0123456789', 'erika', {}, new Date(5000)), false);
  assert.equal(store.sessions.has('S2'), false);
});
