import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config/load.ts';
import type { AppContext } from '../../src/context.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import type { Database } from '../../src/platform/db/database.ts';
import type { ComposedMail } from '../../src/platform/mail/compose.ts';
import { migratedDatabase } from './db-template.ts';

export interface TestApp {
  fastify: FastifyInstance;
  app: AppContext;
  clock: ReturnType<typeof fixedClock>;
  mails: ComposedMail[];
  close(): Promise<void>;
}

/**
 * The real app on a fresh in-memory PGlite database (a copy of the run's migrated template), or on the migrated
 * database given, with a controllable clock and a mail catcher. Closing the app closes the database.
 */
export async function buildTestApp(env: Record<string, string> = {}, database?: Database): Promise<TestApp> {
  const { config } = loadConfig({
    LOG_LEVEL: 'silent',
    ARGON2_MEMORY_KIB: '1024',
    ARGON2_TIME_COST: '1',
    START_EXAMPLE: 'false',
    ...env,
  });
  const db = database ?? (await migratedDatabase());
  const clock = fixedClock(new Date());
  const mails: ComposedMail[] = [];
  const { fastify, app } = await buildApp({
    config,
    db,
    clock,
    mailTransport: { send: async (mail) => void mails.push(mail), close: () => undefined },
  });
  await fastify.ready();
  return {
    fastify,
    app,
    clock,
    mails,
    async close() {
      await fastify.close();
      await db.close();
    },
  };
}

/** A browser-like client for `inject`: keeps cookies, reads CSRF tokens from forms. */
export class Browser {
  readonly cookies = new Map<string, string>();
  readonly fastify: FastifyInstance;

  constructor(fastify: FastifyInstance) {
    this.fastify = fastify;
  }

  private remember(response: LightMyRequestResponse): void {
    for (const cookie of response.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      const expired =
        cookie.value === '' ||
        (cookie.maxAge !== undefined && cookie.maxAge <= 0) ||
        (cookie.expires !== undefined && cookie.expires.getTime() < Date.now());
      if (expired) this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
  }

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async get(url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    const response = await this.fastify.inject({
      method: 'GET',
      url,
      headers: { cookie: this.cookieHeader(), accept: 'text/html', ...headers },
    });
    this.remember(response);
    return response;
  }

  async post(
    url: string,
    form: Record<string, string>,
    headers: Record<string, string> = {},
  ): Promise<LightMyRequestResponse> {
    const response = await this.fastify.inject({
      method: 'POST',
      url,
      payload: new URLSearchParams(form).toString(),
      headers: {
        cookie: this.cookieHeader(),
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'text/html',
        ...headers,
      },
    });
    this.remember(response);
    return response;
  }

  /**
   * A form answered by post/redirect/get ("Mein Konto"): asserts the redirect to `expected` and loads that page,
   * as a browser would.
   */
  async follow(response: LightMyRequestResponse, expected?: string): Promise<LightMyRequestResponse> {
    if (response.statusCode !== 303) throw new Error(`expected a redirect, got ${response.statusCode}`);
    const location = String(response.headers.location);
    if (expected !== undefined && location !== expected)
      throw new Error(`expected a redirect to ${expected}, got ${location}`);
    return this.get(location);
  }

  /** Loads a page and returns the CSRF token of its first form. */
  async csrf(url: string): Promise<string> {
    const page = await this.get(url);
    const match = /name="_csrf" value="([^"]+)"/.exec(page.body);
    if (!match?.[1]) throw new Error(`no CSRF token on ${url} (status ${page.statusCode})`);
    return match[1];
  }
}

export type FollowedPage = LightMyRequestResponse & { finalUrl: string };

/** Follows the server's own redirects; stops at a page or where the browser would leave for a service. */
export async function followRedirects(browser: Browser, url: string): Promise<FollowedPage> {
  let current = url;
  for (let i = 0; i < 12; i++) {
    const response = await browser.get(current);
    const location = response.headers.location;
    if (response.statusCode < 300 || response.statusCode >= 400 || typeof location !== 'string')
      return Object.assign(response, { finalUrl: current });
    const next = new URL(location, 'http://localhost:3000');
    if (next.origin !== 'http://localhost:3000') return Object.assign(response, { finalUrl: next.href });
    current = `${next.pathname}${next.search}`;
  }
  throw new Error('too many redirects');
}

export function linkFrom(mail: ComposedMail | undefined): string {
  const match = /https?:\/\/\S+/.exec(mail?.text ?? '');
  if (!match) throw new Error('mail has no link');
  const url = new URL(match[0]);
  return `${url.pathname}${url.search}`;
}

export const goodPassword = 'Zwei Katzen schlafen auf dem Sofa';

/** Registers and confirms an account through the forms; returns its username. */
export async function registerVerified(
  t: TestApp,
  browser: Browser,
  username = 'erika.m',
  email = 'erika@example.org',
): Promise<string> {
  const _csrf = await browser.csrf('/register');
  const response = await browser.post('/register', {
    _csrf,
    username,
    email,
    password: goodPassword,
    password2: goodPassword,
    terms: 'yes',
  });
  if (response.statusCode !== 303 || response.headers.location !== '/register/sent')
    throw new Error(`registration failed: ${response.statusCode}`);
  await t.app.jobs.runDue();
  const verify = await confirmMailLink(browser, linkFrom(t.mails.findLast((m) => m.to === email)));
  if (verify.statusCode !== 303) throw new Error(`verification failed: ${verify.statusCode}`);
  return username;
}

/**
 * Opens a confirmation link and presses its button, as a citizen does
 * (the link's page alone changes nothing); returns the button's answer.
 */
export async function confirmMailLink(browser: Browser, link: string): Promise<LightMyRequestResponse> {
  const page = await browser.get(link);
  const token = /name="token" value="([^"]+)"/.exec(page.body)?.[1];
  if (page.statusCode !== 200 || !token) throw new Error(`no confirmation button at ${link} (${page.statusCode})`);
  return browser.post('/verify-email', { token });
}

export async function login(
  browser: Browser,
  username: string,
  password = goodPassword,
): Promise<LightMyRequestResponse> {
  const _csrf = await browser.csrf('/login/password');
  return browser.post('/login/password', { _csrf, username, password });
}
