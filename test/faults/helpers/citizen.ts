import { randomBytes } from 'node:crypto';
import { parsePage, readForm, type Browser } from '../../e2e/helpers/browser.ts';

export const password = 'correct horse battery staple 42';

export interface Citizen {
  username: string;
  email: string;
}

export function newCitizen(prefix: string): Citizen {
  const username = `${prefix}_${randomBytes(5).toString('hex')}`;
  return { username, email: `${username}@example.org` };
}

/** What the client saw of one request: an answer (with its body) or no answer at all. */
export type Outcome =
  | { kind: 'answered'; status: number; location: string | null; body: string; path: string }
  | { kind: 'no_answer'; error: string; path: string };

/** Outcomes of a run, with every body a 5xx came with (checked for stack traces at the end). */
export class Tally {
  readonly byKey = new Map<string, number>();
  readonly serverErrors: Outcome[] = [];

  add(outcome: Outcome): Outcome {
    const key = outcome.kind === 'answered' ? `${outcome.status}` : 'no answer';
    this.byKey.set(key, (this.byKey.get(key) ?? 0) + 1);
    if (outcome.kind === 'answered' && outcome.status >= 500) this.serverErrors.push(outcome);
    return outcome;
  }

  summary(): string {
    return [...this.byKey.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([key, count]) => `${key}: ${count}`)
      .join(', ');
  }
}

// A Node stack frame, an internal module, or a source path: none may reach a citizen (STYLE.md habit 4).
const stackPatterns = [
  /\bat [\w$.<>]+ \(\S+:\d+:\d+\)/,
  /\n\s+at \S/,
  /node:internal/,
  /node_modules\//,
  /\/src\/[\w/-]+\.ts\b/,
  /\b(?:TypeError|ReferenceError|RangeError|DatabaseError)\b/,
  /terminating connection due to administrator command/,
];

/** The part of a body that looks like a stack trace or a driver message, if any. */
export function stackTraceIn(body: string): string | undefined {
  for (const pattern of stackPatterns) {
    const match = pattern.exec(body);
    if (match) return body.slice(Math.max(0, match.index - 80), match.index + 160);
  }
  return undefined;
}

/** One request as a browser sends it, from `forwardedFor` (the servers trust the loopback proxy hop). */
export async function send(
  browser: Browser,
  path: string,
  forwardedFor: string,
  form?: Record<string, string>,
  timeoutMs = 60_000,
): Promise<Outcome> {
  const headers: Record<string, string> = { 'x-forwarded-for': forwardedFor };
  if (form) headers['content-type'] = 'application/x-www-form-urlencoded';
  try {
    const response = await browser.request(path, {
      method: form ? 'POST' : 'GET',
      headers,
      ...(form ? { body: new URLSearchParams(form).toString() } : {}),
      signal: AbortSignal.timeout(timeoutMs),
    });
    return {
      kind: 'answered',
      status: response.status,
      location: response.headers.get('location'),
      body: await response.text(),
      path,
    };
  } catch (error) {
    return {
      kind: 'no_answer',
      error:
        (error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : (error as Error).message,
      path,
    };
  }
}

/** The hidden fields (CSRF token) of the form at `action` on an answered page. */
export function formFields(outcome: Outcome, action: string): Record<string, string> | undefined {
  if (outcome.kind !== 'answered' || outcome.status !== 200) return undefined;
  return readForm(parsePage(outcome.body), `form[action="${action}"]`).fields;
}

/**
 * GET /register, then POST it with the form's CSRF token (and its ticked
 * terms box). Acknowledged means the redirect to the "check your mail" page
 * came back (post/redirect/get); that page is tested in test/http.
 */
export async function register(
  browser: Browser,
  citizen: Citizen,
  forwardedFor: string,
  tally: Tally,
): Promise<{ acknowledged: boolean; outcome: Outcome }> {
  const form = tally.add(await send(browser, '/register', forwardedFor));
  const fields = formFields(form, '/register');
  if (!fields) return { acknowledged: false, outcome: form };
  const sent = tally.add(
    await send(browser, '/register', forwardedFor, {
      ...fields,
      username: citizen.username,
      email: citizen.email,
      password,
      password2: password,
    }),
  );
  // The redirect is the server's acknowledgement: it comes only after the commit.
  const acknowledged = sent.kind === 'answered' && sent.status === 303 && sent.location === '/register/sent';
  return { acknowledged, outcome: sent };
}

/** The confirmation link of a registration mail. */
export function confirmationLink(mailText: string): string | undefined {
  return /(https?:\/\/\S+\/verify-email\?token=[A-Za-z0-9_-]+)/.exec(mailText)?.[1];
}

/**
 * Opens the confirmation link (its page changes nothing) and presses the
 * button, as the citizen does, in a fresh browser (no cookies); the
 * button's status: 303 when the account is confirmed.
 */
export async function confirmAddress(link: string): Promise<number> {
  const page = await fetch(link, { redirect: 'manual' });
  const body = await page.text();
  if (page.status !== 200) return page.status;
  const { fields } = readForm(parsePage(body), 'form[action="/verify-email"]');
  const pressed = await fetch(new URL('/verify-email', link), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
  await pressed.body?.cancel();
  return pressed.status;
}

/** Stand-alone login (Mein Konto): true when it ends on /account with the username on the page. */
export async function logIn(browser: Browser, citizen: Citizen, forwardedFor: string, tally: Tally): Promise<boolean> {
  const form = tally.add(await send(browser, '/login/password', forwardedFor));
  const fields = formFields(form, '/login/password');
  if (!fields) return false;
  const sent = tally.add(
    await send(browser, '/login/password', forwardedFor, { ...fields, username: citizen.username, password }),
  );
  if (sent.kind !== 'answered' || sent.status !== 303 || sent.location !== '/account') return false;
  return showsAccount(browser, citizen, forwardedFor, tally);
}

/** GET /account shows this citizen's Mein Konto page. */
export async function showsAccount(
  browser: Browser,
  citizen: Citizen,
  forwardedFor: string,
  tally: Tally,
): Promise<boolean> {
  const account = tally.add(await send(browser, '/account', forwardedFor));
  return account.kind === 'answered' && account.status === 200 && account.body.includes(citizen.username);
}
