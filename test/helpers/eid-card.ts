/**
 * An eID client for HTTP tests: what the AusweisApp does between the
 * hand-over link and the RefreshAddress, over `inject` against the app and
 * its built-in simulator. It fetches the TC token, reads a test card through
 * the simulator's PAOS stand-in, and follows the RefreshAddress with the
 * query the AusweisApp appends (`addMajorMinor`). The browser tests use the
 * simulated eID-client page instead.
 */
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { parseSamlXml } from '../../src/platform/xml/parse.ts';
import { paosProof, type PaosReadAnswer } from '../../src/dev/eid-simulator/paos.ts';
import type { TestCardId } from '../../src/dev/eid-simulator/cards.ts';
import type { Browser } from './test-app.ts';

export interface TcTokenFields {
  serverAddress: string;
  sessionIdentifier: string;
  refreshAddress: string;
  psk: string;
}

/** The TC-token URL from the hand-over page's link to the eID client. */
export function tcTokenUrlOf(handOverPage: string): string {
  const match = /href="([^"]*tcTokenURL=[^"]*)"/.exec(handOverPage);
  assert.ok(match?.[1], 'the hand-over page links to the eID client');
  const href = match[1].replace(/&amp;/g, '&');
  const url = new URL(href, 'http://localhost:3000');
  const token = url.searchParams.get('tcTokenURL');
  assert.ok(token, 'the link carries tcTokenURL');
  return token;
}

export async function fetchTcToken(
  browser: Browser,
  tcTokenUrl: string,
): Promise<{ response: LightMyRequestResponse; token?: TcTokenFields; errorAddress?: string }> {
  const url = new URL(tcTokenUrl);
  const response = await browser.fastify.inject({ method: 'GET', url: `${url.pathname}${url.search}` });
  if (response.statusCode !== 200) return { response };
  const root = parseSamlXml(response.body).documentElement;
  const text = (name: string) => root.getElementsByTagName(name)[0]?.textContent ?? undefined;
  const refreshAddress = text('RefreshAddress');
  if (!refreshAddress) return { response, errorAddress: text('CommunicationErrorAddress') };
  return {
    response,
    token: {
      serverAddress: text('ServerAddress') ?? '',
      sessionIdentifier: text('SessionIdentifier') ?? '',
      refreshAddress,
      psk: text('PSK') ?? '',
    },
  };
}

export async function paosRead(
  browser: Browser,
  token: TcTokenFields,
  o: { cardId?: TestCardId; pin?: string; cancel?: boolean; deselected?: string[] },
): Promise<PaosReadAnswer> {
  const request = {
    action: 'read' as const,
    sessionIdentifier: token.sessionIdentifier,
    ...(o.cardId && { cardId: o.cardId }),
    ...(o.cancel && { cancel: true }),
  };
  const body = {
    ...request,
    pin: o.pin ?? '123456',
    deselected: o.deselected ?? [],
    proof: paosProof(token.psk, request),
  };
  const url = new URL(token.serverAddress);
  const response = await browser.fastify.inject({
    method: 'POST',
    url: url.pathname,
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify(body),
  });
  assert.equal(response.statusCode, 200, `PAOS read: ${response.body}`);
  return JSON.parse(response.body) as PaosReadAnswer;
}

/** The RefreshAddress with the AusweisApp's query, as a path for `browser.get`. */
export function refreshPath(refreshAddress: string, answer: PaosReadAnswer): string {
  const url = new URL(refreshAddress);
  if (answer.status === 'done') {
    url.searchParams.set('ResultMajor', answer.refresh.major);
    if (answer.refresh.major === 'error') url.searchParams.set('ResultMinor', answer.refresh.minor);
  }
  return `${url.pathname}${url.search}`;
}

/**
 * From the hand-over page at `handOverPath` to the RefreshAddress answer:
 * the whole card reading with `cardId` (PIN 123456 unless given).
 */
export async function readCardAt(
  browser: Browser,
  handOverPath: string,
  cardId: TestCardId,
  o: { pin?: string; cancel?: boolean } = {},
): Promise<LightMyRequestResponse> {
  const page = await browser.get(handOverPath);
  assert.equal(page.statusCode, 200, `hand-over page ${handOverPath}: ${page.statusCode}`);
  const { token } = await fetchTcToken(browser, tcTokenUrlOf(page.body));
  assert.ok(token, 'a TC token');
  const answer = await paosRead(browser, token, { cardId, ...o });
  return browser.get(refreshPath(token.refreshAddress, answer));
}
