// Round trip over real HTTP and over mutual TLS: the SOAP client against the
// simulated eID-Server (src/dev/eid-simulator/server.ts) on a free port, and
// against servers that answer badly. The transport's own limits are tested in
// soap/transport.test.ts.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TLSSocket } from 'node:tls';
import Fastify, { type FastifyInstance } from 'fastify';
import { testKey } from '../../../test/helpers/saml-keys.ts';
import { testPki } from '../../../test/helpers/tls-certs.ts';
import type { KeyWithCertificate } from '../../platform/crypto/certificate.ts';
import { completeSession, createSimulatorStore, type SimulatorStore } from '../../dev/eid-simulator/sessions.ts';
import { eidSimulatorRoutes } from '../../dev/eid-simulator/server.ts';
import { createEidClient, type EidClient } from './client.ts';
import { EidServerError, type EidServerErrorCode } from './soap/errors.ts';
import { soapActions } from './soap/namespaces.ts';
import type { UseOperations } from './soap/operations.ts';
import { serverMinor } from './soap/result.ts';
import type { UseIdRequest } from './soap/use-id.ts';
import type { SoapHttpResponse } from './soap/transport.ts';

let simulator: FastifyInstance;
let store: SimulatorStore;
let url: string;
let eservice: KeyWithCertificate;
let simulatorKey: KeyWithCertificate;
let client: EidClient;

const useOperations: UseOperations = {
  DocumentType: 'REQUIRED',
  GivenNames: 'REQUIRED',
  FamilyNames: 'REQUIRED',
  DateOfBirth: 'REQUIRED',
  PlaceOfResidence: 'ALLOWED',
  BirthName: 'ALLOWED',
  RestrictedID: 'REQUIRED',
};
const request: UseIdRequest = {
  useOperations,
  transactionInfo: 'Servicekonto',
  levelOfAssurance: 'http://bsi.bund.de/eID/LoA/hoch',
  eidTypes: { CardCertified: 'ALLOWED', SECertified: 'ALLOWED', SEEndorsed: 'ALLOWED', HWKeyStore: 'DENIED' },
};
const refused = (code: EidServerErrorCode) => (e: unknown) => e instanceof EidServerError && e.code === code;

before(async () => {
  eservice = await testKey('eid-eservice');
  simulatorKey = await testKey('eid-simulator');
  store = createSimulatorStore({ sector: 'test-sector' });
  simulator = Fastify();
  await simulator.register(
    eidSimulatorRoutes({
      store,
      signingKey: simulatorKey,
      trustedClientCertificates: [eservice.certificatePem],
      eCardServerAddress: 'http://127.0.0.1:1/paos',
    }),
  );
  const address = await simulator.listen({ port: 0, host: '127.0.0.1' });
  url = `${address}/eid`;
  client = createEidClient({
    serverUrl: url,
    signingKey: eservice,
    serverCertificates: [simulatorKey.certificatePem],
    allowHttp: true,
  });
});

after(() => simulator.close());

function counter() {
  let value = 0;
  return () => ++value;
}

test("useID → noResultYet → the card is read → Erika's data once → invalidSession", async () => {
  const started = await client.useID(request);
  assert.equal(started.result.major, 'ok');
  assert.match(started.session?.id ?? '', /^[0-9A-F]{32}$/);
  assert.equal(started.eCardServerAddress, 'http://127.0.0.1:1/paos');
  assert.ok(started.psk && started.psk.id.length >= 16 && started.psk.key.length >= 32);
  const sessionId = started.session?.id ?? '';
  const next = counter();

  assert.deepEqual(
    await client.pollResult({ sessionId, nextCounter: next, useOperations, attempts: 2, intervalMs: 1 }),
    { kind: 'pending' },
  );
  assert.equal(completeSession(store, started.psk?.id ?? '', 'erika'), true);
  const outcome = await client.pollResult({ sessionId, nextCounter: next, useOperations });
  assert.equal(outcome.kind, 'ok');
  if (outcome.kind !== 'ok') return;
  const data = outcome.personalData;
  assert.equal(data.givenNames, 'ERIKA');
  assert.equal(data.familyNames, 'MUSTERMANN');
  assert.equal(data.birthName, 'GABLER');
  assert.deepEqual(data.dateOfBirth, { dateString: '19640812', dateValue: '1964-08-12' });
  assert.deepEqual(data.placeOfResidence, {
    kind: 'structured',
    street: 'HEIDESTRAẞE 17',
    city: 'KÖLN',
    country: 'D',
    zipCode: '51147',
  });
  assert.match(data.restrictedId?.id ?? '', /^[0-9A-F]{64}$/);
  assert.equal(data.nationality, undefined, 'not asked for, not sent');
  assert.equal(outcome.levelOfAssurance, 'http://bsi.bund.de/eID/LoA/hoch');
  assert.equal(outcome.eidType, 'CardCertified');

  const again = await client.getResult(sessionId, next());
  assert.deepEqual(again.result, { major: 'error', minor: serverMinor.invalidSession });
});

test('the same card gives the same RestrictedID in the same sector; the Smart-eID another', async () => {
  const read = async (card: 'erika' | 'smart-eid') => {
    const started = await client.useID(request);
    completeSession(store, started.psk?.id ?? '', card);
    const outcome = await client.pollResult({
      sessionId: started.session?.id ?? '',
      nextCounter: counter(),
      useOperations,
    });
    assert.equal(outcome.kind, 'ok');
    return outcome.kind === 'ok' ? outcome : undefined;
  };
  const first = await read('erika');
  const second = await read('erika');
  const smart = await read('smart-eid');
  assert.equal(first?.personalData.restrictedId?.id, second?.personalData.restrictedId?.id);
  assert.notEqual(first?.personalData.restrictedId?.id, smart?.personalData.restrictedId?.id);
  assert.equal(smart?.eidType, 'SECertified');
});

test('each failing card, cancel and a denied eID type end in their outcome', async () => {
  const cases = [
    ['expired', {}, 'expired'],
    ['revoked', {}, 'invalid'],
    ['pin-blocked', {}, 'card'],
    ['erika', { cancel: true }, 'cancelled'],
    ['erika', { deselected: ['GivenNames'] }, 'cancelled'],
    ['smart-eid-sw', {}, 'typeDenied'],
  ] as const;
  for (const [card, choice, kind] of cases) {
    const started = await client.useID(request);
    completeSession(store, started.psk?.id ?? '', card, choice);
    const outcome = await client.pollResult({
      sessionId: started.session?.id ?? '',
      nextCounter: counter(),
      useOperations,
    });
    assert.equal(outcome.kind, kind, `${card} ${JSON.stringify(choice)}`);
  }
});

test('a deselected ALLOWED item is PROHIBITED in OperationsAllowedByUser; the permit has no BirthName on the chip; no address → NoPlaceInfo', async () => {
  const started = await client.useID(request);
  completeSession(store, started.psk?.id ?? '', 'erika', { deselected: ['BirthName'] });
  const response = await client.getResult(started.session?.id ?? '', 1, useOperations);
  assert.equal(response.personalData?.birthName, undefined);
  assert.equal(response.operationsAllowedByUser?.BirthName, 'PROHIBITED');

  const permit = await client.useID(request);
  completeSession(store, permit.psk?.id ?? '', 'permit');
  const permitResponse = await client.getResult(permit.session?.id ?? '', 1, useOperations);
  assert.equal(permitResponse.personalData?.documentType, 'AR');
  assert.equal(permitResponse.operationsAllowedByUser?.BirthName, 'NOTONCHIP');

  const away = await client.useID(request);
  completeSession(store, away.psk?.id ?? '', 'no-address');
  const awayResponse = await client.getResult(away.session?.id ?? '', 1, useOperations);
  assert.deepEqual(awayResponse.personalData?.placeOfResidence, {
    kind: 'none',
    text: 'keine Hauptwohnung in Deutschland',
  });
});

test('RequestCounter must grow: a repeated one answers invalidCounter and ends the session', async () => {
  const started = await client.useID(request);
  const sessionId = started.session?.id ?? '';
  assert.equal((await client.getResult(sessionId, 5)).result.minor, serverMinor.noResultYet);
  assert.equal((await client.getResult(sessionId, 5)).result.minor, serverMinor.invalidCounter);
  assert.equal((await client.getResult(sessionId, 6)).result.minor, serverMinor.invalidSession);
});

test('the simulator refuses an unsigned or untrusted eService; the client refuses an unpinned server', async () => {
  const stranger = await testKey('eid-stranger');
  const untrusted = createEidClient({
    serverUrl: url,
    signingKey: stranger,
    serverCertificates: [simulatorKey.certificatePem],
    allowHttp: true,
  });
  const answer = await untrusted.useID(request);
  assert.deepEqual(answer.result, { major: 'error', minor: serverMinor.internalError });

  const unsigned = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'text/xml', soapaction: '"http://bsi.bund.de/eID/useID"' },
    body: '<x/>',
  });
  assert.match(await unsigned.text(), /common#schemaViolation/);

  const unpinned = createEidClient({
    serverUrl: url,
    signingKey: eservice,
    serverCertificates: [stranger.certificatePem],
    allowHttp: true,
  });
  await assert.rejects(unpinned.useID(request), refused('signature'));
  assert.throws(() => createEidClient({ serverUrl: url, signingKey: eservice, serverCertificates: [] }), /https/);
});

test('bad transports: redirect, HTML error, wrong content type, a Fault, an oversized or endless body, a server that never answers', async () => {
  const bad = Fastify({ forceCloseConnections: true });
  bad.addContentTypeParser('text/xml', { parseAs: 'string' }, (_request, body, done) => done(null, body));
  bad.post('/redirect', (_q, reply) => reply.redirect('https://elsewhere.example/', 302));
  bad.post('/html500', (_q, reply) => reply.code(500).type('text/html').send('<html>oops</html>'));
  bad.post('/html', (_q, reply) => reply.type('text/html').send('<html/>'));
  bad.post('/fault', (_q, reply) =>
    reply
      .code(500)
      .type('text/xml')
      .send(
        '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault><faultcode>s:Server</faultcode><faultstring>x</faultstring></s:Fault></s:Body></s:Envelope>',
      ),
  );
  bad.post('/huge', (_q, reply) => reply.type('text/xml').send('<a>' + 'x'.repeat(400 * 1024) + '</a>'));
  bad.post('/stream', (_q, reply) => {
    reply.raw.writeHead(200, { 'content-type': 'text/xml' });
    const chunk = 'y'.repeat(64 * 1024);
    const timer = setInterval(() => reply.raw.write(chunk), 1);
    reply.raw.on('close', () => clearInterval(timer));
    return reply;
  });
  bad.post('/hang', () => new Promise(() => undefined));
  const base = await bad.listen({ port: 0, host: '127.0.0.1' });
  try {
    const at = (path: string, timeoutMs?: number) =>
      createEidClient({
        serverUrl: `${base}${path}`,
        signingKey: eservice,
        serverCertificates: [simulatorKey.certificatePem],
        allowHttp: true,
        ...(timeoutMs && { timeoutMs }),
      });
    await assert.rejects(at('/redirect').useID(request), refused('redirect'));
    await assert.rejects(at('/html500').useID(request), refused('http_status'));
    await assert.rejects(at('/html').useID(request), refused('content_type'));
    await assert.rejects(at('/fault').useID(request), refused('fault'));
    await assert.rejects(at('/huge').useID(request), refused('too_large'));
    await assert.rejects(at('/stream').useID(request), refused('too_large'));
    await assert.rejects(at('/hang', 300).useID(request), refused('timeout'));
  } finally {
    await bad.close();
  }
});

test('over mutual TLS (TR-03130-1 §3.5.1): the simulator behind https demanding a client certificate of the test CA', async () => {
  const pki = await testPki('eid-client');
  const tlsSimulator = Fastify({
    https: {
      cert: pki.server.certificatePem,
      key: pki.server.privateKeyPem,
      ca: pki.caPem,
      requestCert: true,
      rejectUnauthorized: true,
    },
    forceCloseConnections: true,
  });
  const clients: string[] = [];
  tlsSimulator.addHook('onRequest', async (request) => {
    clients.push(String((request.raw.socket as TLSSocket).getPeerCertificate().subject?.CN ?? ''));
  });
  await tlsSimulator.register(
    eidSimulatorRoutes({ store, signingKey: simulatorKey, trustedClientCertificates: [eservice.certificatePem] }),
  );
  const base = await tlsSimulator.listen({ port: 0, host: '127.0.0.1' });
  try {
    const serverUrl = `${base}/eid`;
    assert.match(serverUrl, /^https:/);
    const common = { serverUrl, signingKey: eservice, serverCertificates: [simulatorKey.certificatePem] };
    const mtls = createEidClient({
      ...common,
      tls: { cert: pki.client.certificatePem, key: pki.client.privateKeyPem, ca: pki.caPem },
    });
    const started = await mtls.useID(request);
    assert.equal(started.result.major, 'ok');
    assert.equal((await mtls.getResult(started.session?.id ?? '', 1)).result.minor, serverMinor.noResultYet);
    assert.deepEqual(clients, [pki.client.commonName, pki.client.commonName]);

    await assert.rejects(createEidClient({ ...common, tls: { ca: pki.caPem } }).useID(request), refused('tls'));
    await assert.rejects(
      createEidClient({ ...common, tls: { cert: pki.client.certificatePem, key: pki.client.privateKeyPem } }).useID(
        request,
      ),
      refused('tls'),
    );
    await assert.rejects(
      createEidClient({ ...common, serverUrl: serverUrl.replace('https:', 'http:'), allowHttp: true }).useID(request),
      refused('network'),
    );
    assert.equal(clients.length, 2);
  } finally {
    await tlsSimulator.close();
  }
});

test("an injected transport gets the URL, the SOAP action and the signed envelope; its answers are judged as the real one's", async () => {
  const calls: { url: string; action: string; body: string }[] = [];
  const answering = (response: SoapHttpResponse | Error) =>
    createEidClient({
      serverUrl: 'https://eid.example/soap',
      signingKey: eservice,
      serverCertificates: [simulatorKey.certificatePem],
      transport: async (target, action, body) => {
        calls.push({ url: target.href, action, body });
        if (response instanceof Error) throw response;
        return response;
      },
    });
  await assert.rejects(
    answering({ status: 200, contentType: 'text/html', text: '<html/>' }).useID(request),
    refused('content_type'),
  );
  assert.equal(calls[0]?.url, 'https://eid.example/soap');
  assert.equal(calls[0]?.action, soapActions.useID);
  assert.match(calls[0]?.body ?? '', /<wsse:Security[\s>]/);
  await assert.rejects(answering({ status: 302, contentType: '', text: '' }).getResult('AB', 1), refused('redirect'));
  assert.equal(calls[1]?.action, soapActions.getResult);
  await assert.rejects(
    answering({ status: 503, contentType: 'text/xml', text: '' }).useID(request),
    refused('http_status'),
  );
  await assert.rejects(
    answering({ status: 200, contentType: 'text/xml; charset=utf-8', text: '<a/>' }).useID(request),
    refused('envelope'),
  );
  await assert.rejects(
    answering(new TypeError('secret internals')).useID(request),
    (e: unknown) => refused('network')(e) && !(e as Error).message.includes('secret'),
  );
  await assert.rejects(answering(new EidServerError('timeout')).useID(request), refused('timeout'));
});
