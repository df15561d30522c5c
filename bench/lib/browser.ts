import type { HttpClient, HttpResponse } from './http.ts';
import { formBody } from './http.ts';

interface StoredCookie {
  name: string;
  value: string;
  path: string;
  expiresAt: number | undefined;
}

/** RFC 6265 §5.1.4: the default path is the request path up to its last slash. */
function defaultPath(pathname: string): string {
  const slash = pathname.lastIndexOf('/');
  return slash <= 0 ? '/' : pathname.slice(0, slash);
}

function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/';
}

/**
 * What a citizen's browser keeps from one visit to the next once its sessions have ended (logged out, or expired):
 * its cache of static files and the cookie naming the page styles it has (src/web/page-styles.ts). A returning
 * citizen's login in the bench uses their browser's profile: the pages link the styles the first visit fetched.
 */
export class BrowserProfile {
  readonly cached = new Set<string>();
  readonly cookies = new Map<string, StoredCookie>();

  keeps(cookieName: string): boolean {
    return /(^|_)sk_styles$/.test(cookieName);
  }
}

export interface Visited {
  response: HttpResponse;
  url: URL;
  /** Set when the next hop would leave the server (the service's redirect_uri or ACS); not visited. */
  leftTo?: URL;
}

/**
 * One citizen's browser on one host, lean enough for a load generator: a
 * cookie jar with paths and Max-Age / Expires (Domain and Secure ignored,
 * everything is one http host), manual redirects, the headers a browser
 * sends with a page load and a form post. `forwardedFor` is the citizen's
 * address as the reverse proxy reports it (TRUST_PROXY), so per-address
 * limits see many citizens, as in production, not one load generator.
 */
export class Browser {
  readonly base: URL;
  private readonly cookies = new Map<string, StoredCookie>();
  private readonly request: HttpClient;
  private readonly profile: BrowserProfile;
  /** The address X-Forwarded-For names; may change between requests. */
  forwardedFor: string | undefined;

  /** Without a profile, a browser that has never been here. */
  constructor(base: URL, request: HttpClient, forwardedFor?: string, profile = new BrowserProfile()) {
    this.base = base;
    this.request = request;
    this.forwardedFor = forwardedFor;
    this.profile = profile;
    for (const [key, cookie] of profile.cookies) this.cookies.set(key, cookie);
  }

  async send(target: URL, method: 'GET' | 'POST', body?: string): Promise<HttpResponse> {
    if (target.origin !== this.base.origin)
      throw new Error(`the browser only visits ${this.base.origin}, not ${target.href}`);
    const headers: Record<string, string> = {
      accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
      // As every browser asks: the server compresses its pages (and pays for it) as it does for citizens.
      'accept-encoding': 'gzip, deflate, br',
      'accept-language': 'de-DE,de;q=0.9,en;q=0.8',
      'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) servicekonto-bench',
    };
    const cookie = this.cookieHeader(target.pathname);
    if (cookie) headers.cookie = cookie;
    if (this.forwardedFor) headers['x-forwarded-for'] = this.forwardedFor;
    if (method === 'POST') {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      headers.origin = this.base.origin;
    }
    const response = await this.request(target, { method, headers, ...(body === undefined ? {} : { body }) });
    const setCookie = response.headers['set-cookie'];
    if (setCookie) for (const line of setCookie) this.store(line, target.pathname);
    if (response.status === 200 && String(response.headers['content-type']).startsWith('text/html'))
      await this.loadStylesheets(response.body);
    return response;
  }

  /**
   * A page's stylesheets, as a browser loads them: those not in its cache (all of ours are cached for a year under
   * hashed names), whatever their medium. Fonts and icons are left out: a browser fetches them once, too.
   */
  private async loadStylesheets(html: string): Promise<void> {
    for (const [, href] of html.matchAll(/<link rel="stylesheet" href="(\/static\/[^"]+)"/g)) {
      if (!href || this.profile.cached.has(href)) continue;
      const url = new URL(href, this.base);
      const response = await this.request(url, {
        headers: { accept: 'text/css,*/*;q=0.1', 'accept-encoding': 'gzip, deflate, br' },
      });
      if (response.status !== 200) throw new Error(`stylesheet ${href} answered ${response.status}`);
      this.profile.cached.add(href);
    }
  }

  /** GET and follow redirects. */
  async visit(target: URL | string): Promise<Visited> {
    const url = new URL(target, this.base);
    return this.follow(await this.send(url, 'GET'), url);
  }

  /** Submits a form and follows the redirects. */
  async submit(action: URL | string, fields: Record<string, string>): Promise<Visited> {
    const url = new URL(action, this.base);
    return this.follow(await this.send(url, 'POST', formBody(fields)), url);
  }

  /** Follows redirects with GET until a page is reached or the next hop leaves the server. */
  async follow(first: HttpResponse, from: URL): Promise<Visited> {
    let response = first;
    let url = from;
    for (let hops = 0; hops < 20; hops++) {
      if (response.status < 300 || response.status >= 400) return { response, url };
      const location = response.headers.location;
      if (!location) throw new Error(`redirect ${response.status} from ${url.pathname} without Location`);
      const next = new URL(location, url);
      if (next.origin !== this.base.origin) return { response, url, leftTo: next };
      url = next;
      response = await this.send(url, 'GET');
    }
    throw new Error(`more than 20 redirects, last at ${url.pathname}`);
  }

  private cookieHeader(pathname: string): string {
    const now = Date.now();
    const matching: StoredCookie[] = [];
    for (const [key, c] of this.cookies) {
      if (c.expiresAt !== undefined && c.expiresAt <= now) this.cookies.delete(key);
      else if (pathMatches(pathname, c.path)) matching.push(c);
    }
    // RFC 6265 §5.4: longer paths first.
    matching.sort((a, b) => b.path.length - a.path.length);
    return matching.map((c) => `${c.name}=${c.value}`).join('; ');
  }

  private store(line: string, requestPath: string): void {
    const [pair = '', ...attributes] = line.split(';');
    const eq = pair.indexOf('=');
    if (eq <= 0) return;
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    let path = defaultPath(requestPath);
    let expiresAt: number | undefined;
    let maxAgeSeen = false;
    for (const attribute of attributes) {
      const eqAt = attribute.indexOf('=');
      const key = (eqAt < 0 ? attribute : attribute.slice(0, eqAt)).trim().toLowerCase();
      const attrValue = eqAt < 0 ? '' : attribute.slice(eqAt + 1).trim();
      if (key === 'path' && attrValue.startsWith('/')) path = attrValue;
      else if (key === 'max-age' && /^-?\d+$/.test(attrValue)) {
        maxAgeSeen = true;
        expiresAt = Date.now() + Number(attrValue) * 1000;
      } else if (key === 'expires' && !maxAgeSeen) {
        const time = Date.parse(attrValue);
        if (!Number.isNaN(time)) expiresAt = time;
      }
    }
    const key = `${name}\u0000${path}`;
    const kept = this.profile.keeps(name);
    if (expiresAt !== undefined && expiresAt <= Date.now()) {
      this.cookies.delete(key);
      if (kept) this.profile.cookies.delete(key);
    } else {
      this.cookies.set(key, { name, value, path, expiresAt });
      if (kept) this.profile.cookies.set(key, { name, value, path, expiresAt });
    }
  }
}

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Decodes the character references our templates and oidc-provider emit. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref[0] === '#')
      return String.fromCodePoint(ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : Number(ref.slice(1)));
    return entities[ref.toLowerCase()] ?? whole;
  });
}

function attribute(tag: string, name: string): string | undefined {
  const match = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
  if (!match) return undefined;
  return decodeEntities(match[1] ?? match[2] ?? match[3] ?? '');
}

export interface Form {
  action: string;
  fields: Record<string, string>;
}

/**
 * The first form whose opening tag matches `test`, with its named input
 * values (hidden fields, the CSRF token among them). A regular-expression
 * reader, not an HTML parser: enough for our own server-rendered pages,
 * and cheap, so the load generator spends its CPU on requests.
 */
export function findForm(html: string, test: (openingTag: string, action: string) => boolean): Form | undefined {
  const forms = html.matchAll(/<form\b[^>]*>/gi);
  for (const open of forms) {
    const action = attribute(open[0], 'action') ?? '';
    if (!test(open[0], action)) continue;
    const start = (open.index ?? 0) + open[0].length;
    const end = html.indexOf('</form>', start);
    const inner = html.slice(start, end < 0 ? undefined : end);
    const fields: Record<string, string> = {};
    for (const input of inner.matchAll(/<input\b[^>]*>/gi)) {
      const name = attribute(input[0], 'name');
      if (name) fields[name] = attribute(input[0], 'value') ?? '';
    }
    return { action, fields };
  }
  return undefined;
}

/** Start of a page's visible text, for error messages. */
export function glimpse(html: string): string {
  const body = /<main\b[\s\S]*?<\/main>/i.exec(html)?.[0] ?? html;
  return decodeEntities(
    body
      .replace(/<script[\s\S]*?<\/script>|<style[\s\S]*?<\/style>/gi, ' ')
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim(),
  ).slice(0, 300);
}
