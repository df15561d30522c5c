/**
 * eID end to end (issue 6): the real server (`node src/main.ts` on a scratch
 * PostgreSQL database) talks to a second eID-Server simulator in its own
 * process over real HTTP, configured by `EID_SERVER_URL` alone (the judged
 * "no code change"); openid-client is the online service and fetch with a
 * cookie jar the citizen's browser. The eID client's part is played as the
 * AusweisApp plays it: fetch the TC token, talk to its ServerAddress (the
 * simulator's PAOS stand-in, with the PSK proof), then send the browser to
 * the RefreshAddress with `ResultMajor`.
 *
 *  1. Register with the card: the account holds the card's data at hoch.
 *  2. A fresh browser logs in with the card through a service asking for
 *     `http://eidas.europa.eu/LoA/high`: the ID token says acr high and amr
 *     sc pin mfa, userinfo has the card's names and birth date.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import * as client from 'openid-client';
import { startSimulator, type RunningSimulator } from '../../src/dev/eid-simulator/main.ts';
import { paosProof, type PaosReadAnswer } from '../../src/dev/eid-simulator/paos.ts';
import type { TestCardId } from '../../src/dev/eid-simulator/cards.ts';
import { parseSamlXml } from '../../src/platform/xml/parse.ts';
import { Browser, pageText, parsePage, readForm } from './helpers/browser.ts';
import { authorizationRequest, discover, registrationArgs, type ServiceRegistration } from './helpers/relying-party.ts';
import {
  childEnv,
  createScratchDatabase,
  dropScratchDatabase,
  freePort,
  queryScratch,
  runCli,
  startServer,
  type RunningServer,
} from './helpers/server.ts';

const high = 'http://eidas.europa.eu/LoA/high';

const service: ServiceRegistration = {
  clientId: 'kfz-service',
  clientSecret: randomBytes(32).toString('base64url'),
  redirectUri: 'https://kfz.example/callback',
  postLogoutRedirectUri: 'https://kfz.example/logged-out',
  name: 'Kfz-Zulassung online',
};

type Hop = Awaited<ReturnType<Browser['visit']>>;

async function page(hop: Hop, path: RegExp): Promise<ReturnType<typeof parsePage>> {
  assert.equal(hop.leftTo, undefined, `expected a page, the browser left to ${hop.leftTo?.href}`);
  const markup = await hop.response.text();
  assert.match(hop.url.pathname, path, `at ${hop.url.pathname}: ${pageText(parsePage(markup)).slice(0, 300)}`);
  assert.ok(
    hop.response.status < 400,
    `${hop.url.pathname} answered ${hop.response.status}: ${pageText(parsePage(markup)).slice(0, 300)}`,
  );
  return parsePage(markup);
}

/** The AusweisApp's part, from the hand-over link to the RefreshAddress (not visited). */
async function eidClient(handOver: ReturnType<typeof parsePage>, cardId: TestCardId): Promise<URL> {
  const link = handOver.querySelector('a[href*="tcTokenURL="]')?.getAttribute('href');
  assert.ok(link, 'the hand-over page links to the eID client');
  const tcTokenUrl = new URL(link).searchParams.get('tcTokenURL');
  assert.ok(tcTokenUrl);
  const tokenResponse = await fetch(tcTokenUrl, { redirect: 'manual' });
  assert.equal(tokenResponse.status, 200);
  assert.match(tokenResponse.headers.get('content-type') ?? '', /^text\/xml/);
  const token = parseSamlXml(await tokenResponse.text()).documentElement;
  const text = (name: string) => token.getElementsByTagName(name)[0]?.textContent ?? '';
  const request = { action: 'read' as const, sessionIdentifier: text('SessionIdentifier'), cardId };
  const paos = await fetch(text('ServerAddress'), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...request, pin: '123456', deselected: [], proof: paosProof(text('PSK'), request) }),
  });
  assert.equal(paos.status, 200, await paos.clone().text());
  const answer = (await paos.json()) as PaosReadAnswer;
  assert.equal(answer.status, 'done');
  const refresh = new URL(text('RefreshAddress'));
  if (answer.status === 'done') {
    refresh.searchParams.set('ResultMajor', answer.refresh.major);
    if (answer.refresh.major === 'error') refresh.searchParams.set('ResultMinor', answer.refresh.minor);
  }
  return refresh;
}

async function submit(
  browser: Browser,
  form: ReturnType<typeof parsePage>,
  action: string,
  values: Record<string, string>,
): Promise<Hop> {
  const fields = readForm(form, `form[action="${action}"]`).fields;
  return browser.follow(await browser.post(action, { ...fields, ...values }), action);
}

describe('eID end to end against a second eID-Server on its own port', () => {
  let simulator: RunningSimulator | undefined;
  let server: RunningServer | undefined;
  let scratch: { name: string; url: string } | undefined;
  let dataDir = '';
  let config: client.Configuration;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sk-eid-e2e-'));
    // Its own process would do the same; in-process keeps the test's clock and ports simple.
    simulator = await startSimulator({ port: 0, dataDir });
    scratch = await createScratchDatabase();
    const port = await freePort();
    const env = childEnv({
      DATABASE_URL: scratch.url,
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: `http://localhost:${port}`,
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      START_EXAMPLE: 'false',
      EID_SERVER_URL: simulator.soapUrl,
    });
    await runCli(registrationArgs(service), env);
    server = await startServer(env, port);
    config = await discover(server.baseUrl, service);
  });

  after(async () => {
    await server?.stop();
    await simulator?.close();
    if (scratch) await dropScratchDatabase(scratch.name);
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('register with the card, then log in with it where a service asks for high', async () => {
    assert.ok(server && scratch);
    // 1. Registration with the card.
    const browser = new Browser(server.baseUrl);
    const handOver = await page(await browser.visit('/register/eid'), /^\/register\/eid$/);
    const form = await page(await browser.visit(await eidClient(handOver, 'erika')), /^\/register\/eid\/return\//);
    assert.match(pageText(form), /Mustermann/, 'the form shows the data read');
    const registered = await submit(browser, form, '/register/eid/complete', {
      email: 'erika.eid@example.org',
      username: 'erika.eid',
    });
    await page(registered, /^\/account$/);
    const stored = await queryScratch<{ name: string; value: string; trust_level: number; source: string }>(
      scratch.url,
      "SELECT a.name, a.value, a.trust_level, a.source FROM identity_attributes a JOIN accounts c ON c.id = a.account_id WHERE c.username = 'erika.eid' AND a.name IN ('given_name', 'family_name', 'birthdate') ORDER BY a.name",
    );
    assert.deepEqual(stored, [
      { name: 'birthdate', value: '1964-08-12', trust_level: 4, source: 'eid' },
      { name: 'family_name', value: 'Mustermann', trust_level: 4, source: 'eid' },
      { name: 'given_name', value: 'Erika', trust_level: 4, source: 'eid' },
    ]);

    // 2. A fresh browser, a service asking for high: the eID, consent, back with acr high.
    const fresh = new Browser(server.baseUrl);
    const request = await authorizationRequest(config, service, { acr_values: high });
    const choice = await fresh.visit(request.url);
    const uid = /^\/interaction\/([^/]+)$/.exec(choice.url.pathname)?.[1] ?? '';
    const choicePage = await page(choice, /^\/interaction\/[^/]+$/);
    assert.ok(choicePage.querySelector(`a[href="/interaction/${uid}/eid"]`), 'the method choice offers the eID');
    const cardPage = await page(await fresh.visit(`/interaction/${uid}/eid`), /\/eid$/);
    const consentHop = await fresh.visit(await eidClient(cardPage, 'erika'));
    const consent = await page(consentHop, /^\/interaction\/[^/]+$/);
    const consentAction = consent.querySelector('form[action$="/consent"]')?.getAttribute('action') ?? '';
    const back = await submit(fresh, consent, consentAction, {});
    assert.ok(back.leftTo, 'back to the service');
    const tokens = await client.authorizationCodeGrant(config, back.leftTo, {
      pkceCodeVerifier: request.codeVerifier,
      expectedState: request.state,
      expectedNonce: request.nonce,
      idTokenExpected: true,
    });
    const claims = tokens.claims();
    assert.equal(claims?.acr, high);
    assert.deepEqual([...((claims?.amr as string[] | undefined) ?? [])].sort(), ['mfa', 'pin', 'sc']);
    const userinfo = await client.fetchUserInfo(config, tokens.access_token, claims?.sub ?? '');
    assert.equal(userinfo.given_name, 'Erika');
    assert.equal(userinfo.family_name, 'Mustermann');
    assert.equal(userinfo.birthdate, '1964-08-12');
    const errors = server
      .output()
      .split('\n')
      .filter((line) => /"level":(50|60)/.test(line));
    assert.deepEqual(errors, [], 'the server logged no errors');
  });
});
