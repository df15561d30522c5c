// The simulated eID client over inject, against a real simulator on a random port: the full round from useID to
// getResult,
// the refresh query, the wrong PIN, cancel, an unreachable PAOS stand-in, and the TC-token fetch refusals.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import Fastify, { type FastifyInstance } from 'fastify';
import { Browser, buildTestApp, type TestApp } from '../../../test/helpers/test-app.ts';
import { createEidClient, type EidClient } from '../../methods/eid/client.ts';
import type { UseOperations } from '../../methods/eid/soap/operations.ts';
import { getResultRequestElement, readGetResultResponse } from '../../methods/eid/soap/get-result.ts';
import { soapActions } from '../../methods/eid/soap/namespaces.ts';
import { ecardMinor } from '../../methods/eid/soap/result.ts';
import { readUseIdResponse, useIdRequestElement } from '../../methods/eid/soap/use-id.ts';
import { signEnvelope, verifyEnvelope } from '../../methods/eid/soap/ws-security.ts';
import { buildErrorToken, buildTcToken } from '../../methods/eid/tc-token.ts';
import { installErrorHandling } from '../../platform/http/render-error.ts';
import { installRequestState } from '../../platform/http/request-state.ts';
import { ensureDevEidKeys } from '../eid-simulator/dev-keys.ts';
import { startSimulator, type RunningSimulator } from '../eid-simulator/main.ts';
import { eidSimulatorRoutes } from '../eid-simulator/server.ts';
import { createSimulatorStore } from '../eid-simulator/sessions.ts';
import { withResult } from './refresh.ts';
import { eidClientRoutes } from './routes.ts';
import { csrfCheck, installRouteChecks, sessionCheck } from '../../platform/http/route-options.ts';

const path = '/dev/eid-client/eID-Client';
const refresh = 'http://localhost:3000/eid/return/ref-123?step=1';
const commError = 'http://localhost:3000/eid/comm-error/ref-123';
const useOperations: UseOperations = {
  GivenNames: 'REQUIRED',
  FamilyNames: 'REQUIRED',
  RestrictedID: 'REQUIRED',
  BirthName: 'ALLOWED',
  AcademicTitle: 'ALLOWED',
};

let dataDir: string;
let simulator: RunningSimulator;
let eid: EidClient;
let testApp: TestApp;
let client: FastifyInstance;
/** The TC tokens' base URL: our own origin, the only one the client fetches a TC token from. */
const tokenBase = 'http://localhost:3000/own';
let keys: Awaited<ReturnType<typeof ensureDevEidKeys>>;
/** Every address the client fetched over the network. */
const networkFetches: string[] = [];
/** What the token server answers, by path. */
const served = new Map<string, { status?: number; type?: string; body: string; location?: string }>();

before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'eid-client-'));
  simulator = await startSimulator({ port: 0, dataDir });
  keys = await ensureDevEidKeys(dataDir);
  eid = createEidClient({
    serverUrl: simulator.soapUrl,
    signingKey: keys.client,
    serverCertificates: [keys.simulator.certificatePem],
    allowHttp: true,
  });

  // The app's context from the test helper, with the plumbing app.ts puts in front of routes.
  testApp = await buildTestApp();
  client = Fastify();
  await client.register(fastifyCookie);
  await client.register(fastifyFormbody);
  installRequestState(client, testApp.app);
  installErrorHandling(client, testApp.app);
  installRouteChecks(client, [csrfCheck(testApp.app.csrf), sessionCheck]);
  // The network fetch (the PAOS stand-in on another port), with a record of every address asked for.
  await client.register(
    eidClientRoutes(testApp.app, {
      fetch: (input, init) => (
        networkFetches.push(String(input instanceof Request ? input.url : input)),
        fetch(input, init)
      ),
    }),
  );
  // As in the app: a simulator mounted beside the client, and the TC tokens at our own origin (PUBLIC_URL, never
  // listening here).
  await client.register(
    eidSimulatorRoutes({
      store: createSimulatorStore(),
      signingKey: keys.simulator,
      trustedClientCertificates: [keys.client.certificatePem],
      eCardServerAddress: 'http://localhost:3000/dev/eid-simulator/paos',
    }),
    { prefix: '/dev/eid-simulator' },
  );
  client.get('/own/t/:name', async (request, reply) => {
    const entry = served.get((request.params as { name: string }).name);
    if (!entry) return reply.code(404).send('');
    if (entry.location) reply.header('location', entry.location);
    return reply
      .code(entry.status ?? 200)
      .type(entry.type ?? 'text/xml; charset=utf-8')
      .send(entry.body);
  });
  await client.ready();
});

after(async () => {
  await client.close();
  await testApp.close();
  await simulator.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** useID at the simulator, and its TC token served under /t/<name>; returns the token URL and the session. */
async function startReading(
  name: string,
  overrides: { serverAddress?: string; communicationErrorAddress?: string } = {},
) {
  const started = await eid.useID({ useOperations, transactionInfo: 'Elternbeiträge Online' });
  assert.equal(started.result.major, 'ok');
  const { psk, session, eCardServerAddress } = started;
  assert.ok(psk && session && eCardServerAddress);
  served.set(name, {
    body: buildTcToken({
      serverAddress: overrides.serverAddress ?? eCardServerAddress,
      sessionIdentifier: psk.id,
      refreshAddress: refresh,
      communicationErrorAddress: overrides.communicationErrorAddress,
      psk: psk.key,
    }),
  });
  return { url: `${path}?tcTokenURL=${encodeURIComponent(`${tokenBase}/t/${name}`)}`, sessionId: session.id };
}

function formOf(body: string): { _csrf: string; id: string } {
  const csrf = /name="_csrf" value="([^"]+)"/.exec(body)?.[1];
  const id = /name="id" value="([^"]+)"/.exec(body)?.[1];
  assert.ok(csrf && id, 'the page has a form with a CSRF token and an id');
  return { _csrf: csrf, id };
}

test('full round: useID, the client page, a wrong PIN, then Ausweisen → 303 to RefreshAddress&ResultMajor=ok; getResult has the data', async () => {
  const browser = new Browser(client);
  const { url, sessionId } = await startReading('full');
  const page = await browser.get(url);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Nur für die Entwicklung: Ersatz für die AusweisApp/);
  assert.match(page.body, /<strong>Elternbeiträge Online<\/strong>/);
  assert.match(page.body, /<li>Vorname\(n\)<\/li>/);
  assert.match(page.body, /<li>Pseudonym \(dienste- und kartenspezifisches Kennzeichen\)<\/li>/);
  assert.match(
    page.body,
    /type="checkbox" id="allow-BirthName" name="allow_BirthName" value="on" checked><label class="kern-label" for="allow-BirthName">Geburtsname</,
  );
  assert.match(
    page.body,
    /<fieldset class="kern-fieldset" id="card">\s*<legend class="kern-label">Testkarte<\/legend>/,
  );
  assert.match(
    page.body,
    /type="radio" id="card-erika" name="card" value="erika" checked><label class="kern-label" for="card-erika">Personalausweis Erika Mustermann</,
  );
  assert.match(page.body, /id="pin" name="pin" type="password" inputmode="numeric" autocomplete="off"/);
  assert.match(page.body, /value="read"><span class="kern-label">Ausweisen<\/span>/);
  assert.match(page.body, /value="cancel" formnovalidate><span class="kern-label">Abbrechen<\/span>/);
  // The PSK never reaches the browser.
  const token = served.get('full')?.body ?? '';
  const psk = /<PSK>([0-9A-Fa-f]+)<\/PSK>/.exec(token)?.[1] ?? 'missing';
  assert.equal(page.body.includes(psk), false);

  const form = formOf(page.body);
  const wrong = await browser.post(path, {
    ...form,
    action: 'read',
    card: 'no-address',
    pin: '111111',
    allow_AcademicTitle: 'on',
    allow_BirthName: 'on',
  });
  assert.equal(wrong.statusCode, 400);
  assert.match(wrong.body, /role="alert"[\s\S]*href="#pin">Die PIN ist falsch. Sie haben noch 2 Versuche./);
  // The choice is kept: the card, and the ticks.
  assert.match(wrong.body, /id="card-no-address" name="card" value="no-address" checked/);
  assert.equal(wrong.body.includes('value="111111"'), false);

  // Unticking BirthName leaves it out of the answer.
  const done = await browser.post(path, {
    ...formOf(wrong.body),
    action: 'read',
    card: 'erika',
    pin: '123456',
    allow_AcademicTitle: 'on',
  });
  assert.equal(done.statusCode, 303);
  assert.equal(done.headers.location, `${refresh}&ResultMajor=ok`);
  const result = await eid.getResult(sessionId, 1, useOperations);
  assert.equal(result.result.major, 'ok');
  assert.equal(result.personalData?.givenNames, 'ERIKA');
  assert.equal(result.personalData?.familyNames, 'MUSTERMANN');
  assert.equal(result.personalData?.birthName, undefined);
  assert.equal(result.operationsAllowedByUser?.BirthName, 'PROHIBITED');
  assert.match(result.personalData?.restrictedId?.id ?? '', /^[0-9A-F]{64}$/);
  // The reading is used up.
  const again = await browser.post(path, { ...form, action: 'read', card: 'erika', pin: '123456' });
  assert.equal(again.statusCode, 400);
  assert.match(again.body, /abgelaufen oder unbekannt/);
});

test('Abbrechen → RefreshAddress&ResultMajor=error&ResultMinor=cancellationByUser, and getResult says cancellationByUser', async () => {
  const browser = new Browser(client);
  const { url, sessionId } = await startReading('cancel');
  const page = await browser.get(url);
  const response = await browser.post(path, { ...formOf(page.body), action: 'cancel' });
  assert.equal(response.statusCode, 303);
  assert.equal(response.headers.location, `${refresh}&ResultMajor=error&ResultMinor=cancellationByUser`);
  assert.equal((await eid.getResult(sessionId, 1)).result.minor, ecardMinor.cancellationByUser);
});

test('a failing card: revoked → ResultMinor=serverError; a missing PIN → 400 with the error summary; no CSRF token → 403', async () => {
  const browser = new Browser(client);
  const { url } = await startReading('revoked');
  const page = await browser.get(url);
  const form = formOf(page.body);
  const noPin = await browser.post(path, { ...form, action: 'read', card: 'revoked', pin: '' });
  assert.equal(noPin.statusCode, 400);
  assert.match(noPin.body, /href="#pin">Bitte geben Sie die PIN ein./);
  assert.equal((await browser.post(path, { id: form.id, action: 'cancel' })).statusCode, 403);
  const response = await browser.post(path, { ...form, action: 'read', card: 'revoked', pin: '123456' });
  assert.equal(response.headers.location, `${refresh}&ResultMajor=error&ResultMinor=serverError`);
});

test('the English page marks the German card labels as German', async () => {
  const browser = new Browser(client);
  const { url } = await startReading('english');
  const page = await browser.get(url, { 'accept-language': 'en' });
  assert.match(page.body, /Development only: a stand-in for the AusweisApp/);
  assert.match(page.body, /for="card-erika" lang="de">Personalausweis Erika Mustermann/);
});

test('an error token → CommunicationErrorAddress?ResultMajor=error&ResultMinor=communicationError', async () => {
  served.set('error-token', { body: buildErrorToken(commError) });
  const response = await new Browser(client).get(
    `${path}?tcTokenURL=${encodeURIComponent(`${tokenBase}/t/error-token`)}`,
  );
  assert.equal(response.statusCode, 303);
  assert.equal(response.headers.location, `${commError}?ResultMajor=error&ResultMinor=communicationError`);
});

test('the PAOS stand-in unreachable → CommunicationErrorAddress (or RefreshAddress) with communicationError', async () => {
  const closed = Fastify();
  await closed.listen({ port: 0, host: '127.0.0.1' });
  const deadAddress = `http://127.0.0.1:${(closed.server.address() as { port: number }).port}/paos`;
  await closed.close();
  const withErrorAddress = await startReading('dead-1', {
    serverAddress: deadAddress,
    communicationErrorAddress: commError,
  });
  const first = await new Browser(client).get(withErrorAddress.url);
  assert.equal(first.headers.location, `${commError}?ResultMajor=error&ResultMinor=communicationError`);
  const withoutErrorAddress = await startReading('dead-2', { serverAddress: deadAddress });
  const second = await new Browser(client).get(withoutErrorAddress.url);
  assert.equal(second.headers.location, `${refresh}&ResultMajor=error&ResultMinor=communicationError`);
});

test('a PSK the server does not know (session ended) → trustedChannelEstablishmentFailed', async () => {
  const { url, sessionId } = await startReading('ended', { communicationErrorAddress: commError });
  // A getResult with a counter not greater than the last ends the server session (invalidCounter).
  await eid.getResult(sessionId, 1);
  await eid.getResult(sessionId, 1);
  const response = await new Browser(client).get(url);
  assert.equal(
    response.headers.location,
    `${commError}?ResultMajor=error&ResultMinor=trustedChannelEstablishmentFailed`,
  );
});

test('TC token refusals: a redirect, more than 16 KiB, the wrong type, the wrong shape, an unknown token are a 422; no URL a 400', async () => {
  const browser = new Browser(client);
  const reason = async (url: string, status: number) => {
    const response = await browser.get(url);
    assert.equal(response.statusCode, status, url);
    assert.match(response.body, /Nur für die Entwicklung/);
    return /<code>([a-z_]+)<\/code>/.exec(response.body)?.[1];
  };
  const tokenUrl = (name: string) => `${path}?tcTokenURL=${encodeURIComponent(`${tokenBase}/t/${name}`)}`;
  served.set('moved', { status: 302, location: `${tokenBase}/t/full`, body: '' });
  assert.equal(await reason(tokenUrl('moved'), 422), 'redirect');
  served.set('big', { body: `<TCTokenType><!--${'x'.repeat(17 * 1024)}--></TCTokenType>` });
  assert.equal(await reason(tokenUrl('big'), 422), 'too_large');
  served.set('html', { type: 'text/html', body: '<TCTokenType/>' });
  assert.equal(await reason(tokenUrl('html'), 422), 'content_type');
  served.set('namespaced', {
    body: '<TCTokenType xmlns="urn:x"><CommunicationErrorAddress>https://a.example/</CommunicationErrorAddress></TCTokenType>',
  });
  assert.equal(await reason(tokenUrl('namespaced'), 422), 'shape');
  served.set('doctype', { body: '<!DOCTYPE TCTokenType [<!ENTITY a "b">]><TCTokenType>&a;</TCTokenType>' });
  assert.equal(await reason(tokenUrl('doctype'), 422), 'xml');
  assert.equal(await reason(tokenUrl('nothing-here'), 422), 'status');
  assert.equal(await reason(path, 400), undefined);
});

test('found by fuzzing: a tcTokenURL outside our own origin is refused with a 400 and fetched from nowhere', async () => {
  const browser = new Browser(client);
  networkFetches.length = 0;
  const foreign = [
    'https://evil.example/tc-token',
    'https://169.254.169.254/latest/meta-data/',
    'http://127.0.0.1:1/',
    'http://[::1]:5432/',
    'http://localhost:3001/own/t/full',
    'https://localhost:3000/own/t/full',
    'http://example.org/token',
    'file:///etc/passwd',
  ];
  for (const url of foreign) {
    const response = await browser.get(`${path}?tcTokenURL=${encodeURIComponent(url)}`);
    assert.equal(response.statusCode, 400, url);
    assert.match(response.body, /nur von der eigenen Adresse des Servicekontos/, url);
  }
  assert.deepEqual(networkFetches, []);
});

test('a token whose ServerAddress is plain http elsewhere, or without the PSK, is refused', async () => {
  const browser = new Browser(client);
  const base = { sessionIdentifier: 'psk-0123456789abcdef', refreshAddress: refresh, psk: 'AB'.repeat(32) };
  served.set('foreign-paos', { body: buildTcToken({ ...base, serverAddress: 'http://example.org/paos' }) });
  const foreign = await browser.get(`${path}?tcTokenURL=${encodeURIComponent(`${tokenBase}/t/foreign-paos`)}`);
  assert.equal(foreign.statusCode, 422);
  served.set('no-psk', {
    body: buildTcToken({ ...base, serverAddress: simulator.paosUrl }).replace(
      /<PathSecurity-Parameters>.*<\/PathSecurity-Parameters>/s,
      '',
    ),
  });
  assert.equal(
    (await browser.get(`${path}?tcTokenURL=${encodeURIComponent(`${tokenBase}/t/no-psk`)}`)).statusCode,
    422,
  );
});

test('mounted in the same app: the TC token and the PAOS stand-in at our own origin are reached in-process', async () => {
  const soap = async (body: string, action: string) => {
    const response = await client.inject({
      method: 'POST',
      url: '/dev/eid-simulator/eid',
      headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: `"${action}"` },
      payload: signEnvelope(
        body === 'useID'
          ? useIdRequestElement({ useOperations })
          : getResultRequestElement({ sessionId: body, requestCounter: 1 }),
        keys.client,
        new Date(),
      ),
    });
    return verifyEnvelope(response.body, [keys.simulator.certificatePem], new Date()).message;
  };
  const started = readUseIdResponse(await soap('useID', soapActions.useID));
  assert.ok(started.psk && started.session && started.eCardServerAddress);
  served.set('own', {
    body: buildTcToken({
      serverAddress: started.eCardServerAddress,
      sessionIdentifier: started.psk.id,
      refreshAddress: refresh,
      psk: started.psk.key,
    }),
  });
  const browser = new Browser(client);
  const page = await browser.get(`${path}?tcTokenURL=${encodeURIComponent('http://localhost:3000/own/t/own')}`);
  assert.equal(page.statusCode, 200);
  const done = await browser.post(path, { ...formOf(page.body), action: 'read', card: 'permit', pin: '123456' });
  assert.equal(done.headers.location, `${refresh}&ResultMajor=ok`);
  const result = readGetResultResponse(await soap(started.session.id, soapActions.getResult));
  assert.equal(result.personalData?.givenNames, 'OLENA');
});

test('withResult: ? or & as addMajorMinor, the fragment stays', () => {
  assert.equal(withResult('https://a.example/return', { major: 'ok' }), 'https://a.example/return?ResultMajor=ok');
  assert.equal(
    withResult('https://a.example/return?ref=1#x', { major: 'error', minor: 'clientError' }),
    'https://a.example/return?ref=1&ResultMajor=error&ResultMinor=clientError#x',
  );
});
