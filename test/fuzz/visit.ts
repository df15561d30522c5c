/**
 * How the world itself talks to the app while it prepares values: like
 * `Browser` (cookies kept, forms posted), but every request from an address
 * of its own (198.18.0.0/15, set aside for benchmarks), so the rate limits
 * the fuzzed requests run into never stop the preparation.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Browser } from '../helpers/test-app.ts';

let counter = 0;

function nextAddress(): string {
  counter = (counter + 1) % 65_536;
  return `198.${18 + (counter >> 15)}.${(counter >> 8) & 0x7f}.${counter & 0xff}`;
}

export function remember(jar: Map<string, string>, response: LightMyRequestResponse): void {
  for (const cookie of response.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
    const expired =
      cookie.value === '' ||
      (cookie.maxAge !== undefined && cookie.maxAge <= 0) ||
      (cookie.expires !== undefined && cookie.expires.getTime() < Date.now());
    if (expired) jar.delete(cookie.name);
    else jar.set(cookie.name, cookie.value);
  }
}

async function send(
  fastify: FastifyInstance,
  browser: Browser,
  method: 'GET' | 'POST',
  url: string,
  form?: Record<string, string>,
): Promise<LightMyRequestResponse> {
  const response = await fastify.inject({
    method,
    url,
    remoteAddress: nextAddress(),
    headers: {
      accept: 'text/html',
      cookie: [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
    },
    ...(form ? { payload: new URLSearchParams(form).toString() } : {}),
  });
  remember(browser.cookies, response);
  return response;
}

export const get = (browser: Browser, url: string) => send(browser.fastify, browser, 'GET', url);
export const post = (browser: Browser, url: string, form: Record<string, string>) =>
  send(browser.fastify, browser, 'POST', url, form);

/** The path and query of a Location, when it stays on our origin. */
export function localTarget(location: unknown): string | undefined {
  if (typeof location !== 'string') return undefined;
  const url = new URL(location, 'http://localhost:3000');
  return url.origin === 'http://localhost:3000' ? `${url.pathname}${url.search}` : undefined;
}

/** Follows our own redirects; answers the last response and the URL it came from (or the foreign URL it points to). */
export async function follow(
  browser: Browser,
  response: LightMyRequestResponse,
  at: string,
): Promise<{ response: LightMyRequestResponse; url: string }> {
  let current = response;
  let url = at;
  for (let i = 0; i < 12; i++) {
    if (current.statusCode < 300 || current.statusCode >= 400) return { response: current, url };
    const location = current.headers.location;
    const next = localTarget(location);
    if (!next) return { response: current, url: typeof location === 'string' ? location : url };
    url = next;
    current = await get(browser, next);
  }
  return { response: current, url };
}

export const formField = (body: string, name: string): string =>
  new RegExp(`name="${name}" value="([^"]*)"`).exec(body)?.[1]?.replaceAll('&amp;', '&') ?? '';
export const csrfOf = (body: string): string => formField(body, '_csrf');
