import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classRefFor, levelOfClassRef, requestedLevel } from './authn-context.ts';

test('STORK and eIDAS class refs map to the four levels', () => {
  assert.deepEqual(levelOfClassRef('STORK-QAA-Level-3'), { level: 3, vocabulary: 'stork' });
  assert.deepEqual(levelOfClassRef('http://eidas.europa.eu/LoA/high'), { level: 4, vocabulary: 'eidas' });
  assert.equal(levelOfClassRef('STORK-QAA-Level-5'), undefined);
  assert.equal(levelOfClassRef('urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport'), undefined);
});

test('minimum over several class refs, unknown ones ignored, never below the service minimum', () => {
  assert.deepEqual(requestedLevel(['STORK-QAA-Level-4', 'STORK-QAA-Level-3'], 'minimum', 1), {
    ok: true,
    level: 3,
    vocabulary: 'stork',
  });
  assert.deepEqual(requestedLevel(['urn:x', 'http://eidas.europa.eu/LoA/substantial'], undefined, 1), {
    ok: true,
    level: 3,
    vocabulary: 'eidas',
  });
  assert.deepEqual(requestedLevel([], undefined, 2), { ok: true, level: 2, vocabulary: 'stork' });
  assert.deepEqual(requestedLevel(['STORK-QAA-Level-1'], 'minimum', 3), { ok: true, level: 3, vocabulary: 'stork' });
  assert.deepEqual(requestedLevel(['STORK-QAA-Level-1'], 'better', 1), {
    ok: false,
    problem: 'comparison_unsupported',
  });
});

test('the answer speaks the vocabulary of the request', () => {
  assert.equal(classRefFor(3, 'stork'), 'STORK-QAA-Level-3');
  assert.equal(classRefFor(3, 'eidas'), 'http://eidas.europa.eu/LoA/substantial');
  assert.equal(classRefFor(1, 'eidas'), 'STORK-QAA-Level-1');
});
