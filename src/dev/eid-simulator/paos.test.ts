// The PAOS stand-in (design notes §4): the PSK proof, describe, the PIN tries and the refresh query, over inject.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import { testKey } from '../../../test/helpers/saml-keys.ts';
import { ecardMinor, serverMinor } from '../../methods/eid/soap/result.ts';
import type { UseIdRequest } from '../../methods/eid/soap/use-id.ts';
import { paosProof, refreshFor, type PaosRequest } from './paos.ts';
import { eidSimulatorRoutes } from './server.ts';
import { addSession, createSimulatorStore, type SimulatorStore } from './sessions.ts';

const key = 'A1'.repeat(32);
let counter = 0;

function open(
  store: SimulatorStore,
  request: UseIdRequest = {
    useOperations: { GivenNames: 'REQUIRED', RestrictedID: 'REQUIRED', BirthName: 'ALLOWED' },
    transactionInfo: 'Elternbeiträge Online',
  },
) {
  counter += 1;
  const psk = { id: `psk-${String(counter).padStart(4, '0')}-0123456789abcdef`, key };
  const sessionId = String(counter).padStart(32, '0');
  addSession(store, { sessionId, psk, request, createdAt: Date.now(), lastCounter: 0 });
  return { psk, session: () => store.sessions.get(sessionId) };
}

async function setup() {
  const store = createSimulatorStore();
  const app = Fastify();
  await app.register(
    eidSimulatorRoutes({ store, signingKey: await testKey('eid-simulator'), trustedClientCertificates: [] }),
    { prefix: '/dev/eid-simulator' },
  );
  const post = async (body: Omit<PaosRequest, 'proof'> & { proof?: string }) => {
    const payload = { ...body, proof: body.proof ?? paosProof(key, body) };
    const response = await app.inject({ method: 'POST', url: '/dev/eid-simulator/paos', payload });
    assert.match(String(response.headers['content-type']), /^application\/json/);
    return { status: response.statusCode, body: response.json<Record<string, unknown>>() };
  };
  return { app, store, post };
}

test('describe: REQUIRED and ALLOWED in schema order and the TransactionInfo; PROHIBITED is not named', async () => {
  const { app, store, post } = await setup();
  const { psk } = open(store, {
    useOperations: {
      RestrictedID: 'REQUIRED',
      GivenNames: 'REQUIRED',
      AcademicTitle: 'ALLOWED',
      BirthName: 'ALLOWED',
      CommunityID: 'PROHIBITED',
    },
    transactionInfo: 'Elternbeiträge Online',
  });
  const answer = await post({ action: 'describe', sessionIdentifier: psk.id });
  assert.equal(answer.status, 200);
  assert.deepEqual(answer.body, {
    transactionInfo: 'Elternbeiträge Online',
    required: ['GivenNames', 'RestrictedID'],
    allowed: ['AcademicTitle', 'BirthName'],
  });
  const bare = open(store, { useOperations: { RestrictedID: 'REQUIRED' } });
  assert.deepEqual((await post({ action: 'describe', sessionIdentifier: bare.psk.id })).body, {
    required: ['RestrictedID'],
    allowed: [],
  });
  await app.close();
});

test('a wrong proof, another key, an unknown or expired session → 403; a malformed body → 400; more than 4 KiB → 413', async () => {
  const { app, store, post } = await setup();
  const { psk } = open(store);
  assert.equal((await post({ action: 'describe', sessionIdentifier: psk.id, proof: '00'.repeat(32) })).status, 403);
  // The proof covers the action and the card: a describe proof does not read a card.
  const describeProof = paosProof(key, { action: 'describe', sessionIdentifier: psk.id });
  assert.equal(
    (await post({ action: 'read', sessionIdentifier: psk.id, cardId: 'erika', pin: '123456', proof: describeProof }))
      .status,
    403,
  );
  const otherKey = paosProof('B2'.repeat(32), { action: 'describe', sessionIdentifier: psk.id });
  assert.equal((await post({ action: 'describe', sessionIdentifier: psk.id, proof: otherKey })).status, 403);
  assert.equal((await post({ action: 'describe', sessionIdentifier: 'psk-unknown-0123456789' })).status, 403);
  const expired = open(store);
  const session = expired.session();
  if (session) session.createdAt = Date.now() - 11 * 60_000;
  const refused = await post({ action: 'describe', sessionIdentifier: expired.psk.id });
  assert.deepEqual([refused.status, typeof refused.body.error], [403, 'string']);

  const raw = (payload: string, type = 'application/json') =>
    app.inject({ method: 'POST', url: '/dev/eid-simulator/paos', payload, headers: { 'content-type': type } });
  assert.equal((await raw('{"action":')).statusCode, 400);
  assert.equal(
    (await raw(JSON.stringify({ action: 'describe', sessionIdentifier: psk.id, proof: describeProof, extra: 1 })))
      .statusCode,
    400,
  );
  assert.equal(
    (await raw(JSON.stringify({ action: 'shout', sessionIdentifier: psk.id, proof: describeProof }))).statusCode,
    400,
  );
  assert.equal(
    (
      await raw(
        JSON.stringify({ action: 'read', sessionIdentifier: psk.id, cardId: 'nobody', pin: '1', proof: describeProof }),
      )
    ).statusCode,
    400,
  );
  const big = await raw(
    JSON.stringify({ action: 'describe', sessionIdentifier: psk.id, proof: describeProof, pin: 'x'.repeat(5000) }),
  );
  assert.equal(big.statusCode, 413);
  assert.equal(typeof big.json<{ error: unknown }>().error, 'string');
  assert.equal((await raw('<x/>', 'text/xml')).statusCode, 400);
  // Still open: none of the refusals touched the session.
  assert.equal((await post({ action: 'describe', sessionIdentifier: psk.id })).status, 200);
  await app.close();
});

test('read with the right PIN: getResult then answers the card; refresh ok; the session takes no second read', async () => {
  const { app, store, post } = await setup();
  const { psk, session } = open(store);
  const answer = await post({
    action: 'read',
    sessionIdentifier: psk.id,
    cardId: 'erika',
    pin: '123456',
    deselected: ['BirthName'],
  });
  assert.deepEqual(answer.body, { status: 'done', refresh: { major: 'ok' } });
  const result = session()?.answer;
  assert.equal(result?.result.major, 'ok');
  assert.equal(result?.personalData?.givenNames, 'ERIKA');
  assert.equal(result?.personalData?.birthName, undefined);
  assert.equal(result?.operationsAllowedByUser?.BirthName, 'PROHIBITED');
  assert.equal((await post({ action: 'read', sessionIdentifier: psk.id, cardId: 'erika', pin: '123456' })).status, 403);
  await app.close();
});

test('a wrong PIN counts down per card across sessions, the third blocks it (clientError, unknownError), a right PIN resets', async () => {
  const { app, store, post } = await setup();
  const first = open(store);
  assert.deepEqual(
    (await post({ action: 'read', sessionIdentifier: first.psk.id, cardId: 'permit', pin: '000000' })).body,
    { status: 'wrong-pin', triesLeft: 2 },
  );
  // A right PIN resets the counter.
  assert.deepEqual(
    (await post({ action: 'read', sessionIdentifier: first.psk.id, cardId: 'permit', pin: '123456' })).body,
    { status: 'done', refresh: { major: 'ok' } },
  );

  const second = open(store);
  assert.deepEqual((await post({ action: 'read', sessionIdentifier: second.psk.id, cardId: 'erika', pin: '1' })).body, {
    status: 'wrong-pin',
    triesLeft: 2,
  });
  assert.deepEqual((await post({ action: 'read', sessionIdentifier: second.psk.id, cardId: 'erika', pin: '2' })).body, {
    status: 'wrong-pin',
    triesLeft: 1,
  });
  assert.equal(second.session()?.answer, undefined, 'the session stays open after a wrong PIN');
  assert.deepEqual((await post({ action: 'read', sessionIdentifier: second.psk.id, cardId: 'erika', pin: '3' })).body, {
    status: 'done',
    refresh: { major: 'error', minor: 'clientError' },
  });
  assert.deepEqual(second.session()?.answer?.result, { major: 'error', minor: ecardMinor.unknownError });

  // Blocked in the next session too, even with the right PIN; another card is untouched.
  const third = open(store);
  assert.deepEqual(
    (await post({ action: 'read', sessionIdentifier: third.psk.id, cardId: 'erika', pin: '123456' })).body,
    { status: 'done', refresh: { major: 'error', minor: 'clientError' } },
  );
  assert.equal(store.pinTries.get('erika'), 0);
  assert.equal(store.pinTries.has('permit'), false);
  await app.close();
});

test('the pin-blocked card is blocked whatever the PIN, and answers the minor its card entry names', async () => {
  const { app, store, post } = await setup();
  const { psk, session } = open(store);
  assert.deepEqual(
    (await post({ action: 'read', sessionIdentifier: psk.id, cardId: 'pin-blocked', pin: '123456' })).body,
    { status: 'done', refresh: { major: 'error', minor: 'clientError' } },
  );
  assert.equal(session()?.answer?.result.minor, ecardMinor.unknownError);
  await app.close();
});

test('cancel → cancellationByUser in getResult and the refresh; deselecting a REQUIRED item → cancellation too', async () => {
  const { app, store, post } = await setup();
  const cancelled = open(store);
  assert.deepEqual((await post({ action: 'read', sessionIdentifier: cancelled.psk.id, cancel: true })).body, {
    status: 'done',
    refresh: { major: 'error', minor: 'cancellationByUser' },
  });
  assert.equal(cancelled.session()?.answer?.result.minor, ecardMinor.cancellationByUser);
  const deselected = open(store);
  const answer = await post({
    action: 'read',
    sessionIdentifier: deselected.psk.id,
    cardId: 'erika',
    pin: '123456',
    deselected: ['GivenNames'],
  });
  assert.deepEqual(answer.body, { status: 'done', refresh: { major: 'error', minor: 'cancellationByUser' } });
  assert.equal(deselected.session()?.answer?.result.minor, ecardMinor.cancellationByUser);
  await app.close();
});

test('the failing cards: expired → clientError, revoked → serverError (design notes §4 cards table)', async () => {
  const { app, store, post } = await setup();
  for (const [cardId, minor] of [
    ['expired', 'clientError'],
    ['revoked', 'serverError'],
  ] as const) {
    const { psk } = open(store);
    assert.deepEqual((await post({ action: 'read', sessionIdentifier: psk.id, cardId, pin: '123456' })).body, {
      status: 'done',
      refresh: { major: 'error', minor },
    });
  }
  await app.close();
});

test('refreshFor: the addMajorMinor mapping', () => {
  assert.deepEqual(refreshFor({ major: 'ok' }), { major: 'ok' });
  assert.deepEqual(refreshFor({ major: 'error', minor: ecardMinor.documentValidityVerificationFailed }), {
    major: 'error',
    minor: 'clientError',
  });
  assert.deepEqual(refreshFor({ major: 'error', minor: serverMinor.invalidDocument }), {
    major: 'error',
    minor: 'serverError',
  });
  assert.deepEqual(refreshFor({ major: 'error', minor: serverMinor.deniedDocument }), {
    major: 'error',
    minor: 'serverError',
  });
  assert.deepEqual(refreshFor({ major: 'error', minor: ecardMinor.cancellationByUser }), {
    major: 'error',
    minor: 'cancellationByUser',
  });
  assert.deepEqual(refreshFor({ major: 'error', minor: ecardMinor.unknownError }), {
    major: 'error',
    minor: 'clientError',
  });
  assert.deepEqual(refreshFor({ major: 'error', minor: ecardMinor.communicationError }), {
    major: 'error',
    minor: 'communicationError',
  });
  assert.deepEqual(refreshFor({ major: 'error', minor: ecardMinor.trustedChannelEstablishmentFailed }), {
    major: 'error',
    minor: 'trustedChannelEstablishmentFailed',
  });
});
