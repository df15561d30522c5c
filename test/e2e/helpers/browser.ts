import { parse, type HTMLElement } from 'node-html-parser';
import { parseSetCookie, pathMatches, storeCookie, type StoredCookie } from '../../helpers/cookie-jar.ts';

/**
 * A browser for one host: a cookie jar (name and path, Max-Age and Expires
 * honoured, Domain and Secure ignored because everything runs on one http
 * host) and fetch with manual redirects, so every hop can be inspected.
 */
export class Browser {
  readonly base: URL;
  private readonly cookies = new Map<string, StoredCookie>();

  constructor(base: string) {
    this.base = new URL(base);
  }

  /** One request, no redirect followed; cookies are sent and stored. */
  async request(target: string | URL, init: RequestInit = {}): Promise<Response> {
    const url = new URL(target, this.base);
    if (url.origin !== this.base.origin)
      throw new Error(`the browser only visits ${this.base.origin}, not ${url.href}`);
    const headers = new Headers(init.headers);
    const cookie = this.cookieHeader(url.pathname);
    if (cookie) headers.set('cookie', cookie);
    if (!headers.has('accept')) headers.set('accept', 'text/html,application/xhtml+xml');
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) this.store(line, url.pathname);
    return response;
  }

  /** Submits a form like a browser does (application/x-www-form-urlencoded). */
  post(target: string | URL, fields: Record<string, string>): Promise<Response> {
    return this.request(target, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
  }

  /**
   * Follows redirects with GET until a page is reached, or until the next
   * hop would leave the server (the service's redirect_uri): then that URL is
   * returned without being visited.
   */
  async follow(first: Response, from: URL | string): Promise<{ response: Response; url: URL; leftTo?: URL }> {
    let response = first;
    let url = new URL(from, this.base);
    for (let hops = 0; hops < 20; hops++) {
      if (response.status < 300 || response.status >= 400) return { response, url };
      const location = response.headers.get('location');
      if (!location) throw new Error(`redirect ${response.status} from ${url.href} without Location`);
      await response.body?.cancel();
      const next = new URL(location, url);
      if (next.origin !== this.base.origin) return { response, url, leftTo: next };
      url = next;
      response = await this.request(url);
    }
    throw new Error(`more than 20 redirects, last at ${url.href}`);
  }

  /** GET and follow redirects. */
  async visit(target: string | URL): Promise<{ response: Response; url: URL; leftTo?: URL }> {
    const url = new URL(target, this.base);
    return this.follow(await this.request(url), url);
  }

  has(name: string): boolean {
    return [...this.cookies.values()].some((c) => c.name === name && !this.expired(c));
  }

  private expired(cookie: StoredCookie): boolean {
    return cookie.expiresAt !== undefined && cookie.expiresAt <= Date.now();
  }

  private cookieHeader(pathname: string): string {
    const matching = [...this.cookies.entries()].filter(([key, c]) => {
      if (this.expired(c)) {
        this.cookies.delete(key);
        return false;
      }
      return pathMatches(pathname, c.path);
    });
    // RFC 6265 §5.4: longer paths first.
    matching.sort(([, a], [, b]) => b.path.length - a.path.length);
    return matching.map(([, c]) => `${c.name}=${c.value}`).join('; ');
  }

  private store(line: string, requestPath: string): void {
    const cookie = parseSetCookie(line, requestPath);
    if (cookie) storeCookie(this.cookies, cookie);
  }
}

/** A page's HTML, parsed. */
export function parsePage(markup: string): HTMLElement {
  return parse(markup);
}

/** The form whose action matches, with its fields (hidden, text, …) as values. */
export function readForm(page: HTMLElement, selector: string): { action: string; fields: Record<string, string> } {
  const form = page.querySelector(selector);
  if (!form)
    throw new Error(`no form matches ${selector}; page text: ${page.text.replace(/\s+/g, ' ').trim().slice(0, 500)}`);
  const fields: Record<string, string> = {};
  for (const input of form.querySelectorAll('input')) {
    const name = input.getAttribute('name');
    if (name) fields[name] = input.getAttribute('value') ?? '';
  }
  return { action: form.getAttribute('action') ?? '', fields };
}

/** Visible text of a page, whitespace collapsed, entities decoded. */
export function pageText(page: HTMLElement): string {
  return page.text.replace(/\s+/g, ' ').trim();
}
