// The outcome table of docs/eid-design-notes.md §3.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyRefreshQuery, classifyResult, failureMessageIds, outcomeOf } from './result-codes.ts';
import { ecardMinor, serverMinor } from './soap/result.ts';

test('getResult minors → outcome kinds', () => {
  const cases: [string, string][] = [
    [ecardMinor.cancellationByUser, 'cancelled'],
    [ecardMinor.ifdlCancellationByUser, 'cancelled'],
    [ecardMinor.communicationError, 'interrupted'],
    [ecardMinor.trustedChannelEstablishmentFailed, 'interrupted'],
    [ecardMinor.unknownError, 'card'],
    [ecardMinor.documentValidityVerificationFailed, 'expired'],
    [serverMinor.invalidDocument, 'invalid'],
    [serverMinor.deniedDocument, 'typeDenied'],
    [serverMinor.invalidSession, 'timeout'],
    [ecardMinor.timeoutError, 'timeout'],
    [serverMinor.tooManyOpenSessions, 'busy'],
    [serverMinor.internalError, 'technical'],
    [serverMinor.schemaViolation, 'technical'],
    [serverMinor.missingTerminalRights, 'technical'],
    [serverMinor.invalidCounter, 'technical'],
    ['urn:unknown#minor', 'technical'],
    [serverMinor.noResultYet, 'pending'],
  ];
  for (const [minor, kind] of cases) assert.equal(classifyResult({ major: 'error', minor }), kind, minor);
  assert.equal(classifyResult({ major: 'ok' }), 'ok');
  assert.equal(classifyResult({ major: 'warning', minor: ecardMinor.cancellationByUser }), 'cancelled');
  assert.equal(classifyResult({ major: 'error' }), 'technical');
});

test('the RefreshAddress query never means success', () => {
  assert.equal(classifyRefreshQuery({ ResultMajor: 'ok' }), 'unconfirmed');
  assert.equal(classifyRefreshQuery({ ResultMajor: 'error', ResultMinor: 'cancellationByUser' }), 'cancelled');
  assert.equal(classifyRefreshQuery({ ResultMajor: 'error', ResultMinor: 'communicationError' }), 'interrupted');
  assert.equal(
    classifyRefreshQuery({ ResultMajor: 'error', ResultMinor: 'trustedChannelEstablishmentFailed' }),
    'interrupted',
  );
  assert.equal(classifyRefreshQuery({ ResultMajor: 'error', ResultMinor: 'clientError' }), 'card');
  assert.equal(classifyRefreshQuery({ ResultMajor: 'error', ResultMinor: 'serverError' }), 'technical');
  assert.equal(classifyRefreshQuery({ ResultMajor: 'error', ResultMinor: 'toString' }), 'technical');
  assert.equal(classifyRefreshQuery({}), 'technical');
});

test('outcomeOf: ok with data, ok without data is technical, errors keep their minor; every kind has a message id', () => {
  assert.deepEqual(
    outcomeOf({
      result: { major: 'ok' },
      personalData: { givenNames: 'ERIKA' },
      levelOfAssurance: 'http://bsi.bund.de/eID/LoA/hoch',
      eidType: 'CardCertified',
    }),
    {
      kind: 'ok',
      personalData: { givenNames: 'ERIKA' },
      levelOfAssurance: 'http://bsi.bund.de/eID/LoA/hoch',
      eidType: 'CardCertified',
    },
  );
  assert.deepEqual(outcomeOf({ result: { major: 'ok' } }), { kind: 'technical' });
  assert.deepEqual(outcomeOf({ result: { major: 'error', minor: serverMinor.noResultYet } }), { kind: 'pending' });
  assert.deepEqual(outcomeOf({ result: { major: 'error', minor: serverMinor.invalidDocument } }), {
    kind: 'invalid',
    minor: serverMinor.invalidDocument,
  });
  for (const [kind, id] of Object.entries(failureMessageIds)) assert.match(id, new RegExp(`^eid\\.error\\.${kind}$`));
});
