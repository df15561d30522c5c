import { inflateRawSync } from 'node:zlib';
import { parse, type HTMLElement } from 'node-html-parser';
import { parseSetCookie, pathMatches, storeCookie, type StoredCookie } from '../../helpers/cookie-jar.ts';

/** One hop the client made, for failure messages: method, URL, status, and the SAML message it carried, decoded. */
export interface Hop {
  method: string;
  url: string;
  status: number;
  saml?: { field: 'SAMLRequest' | 'SAMLResponse'; xml: string };
}

/** Where a navigation ended: the last page, read once. */
export interface Landing {
  url: URL;
  status: number;
  body: string;
  html: HTMLElement;
}

/** A SAML message as XML: POST carries base64, HTTP-Redirect base64 of raw DEFLATE (saml-bindings §3.4.4.1, §3.5.4). */
function decodeSaml(value: string, deflated: boolean): string {
  const bytes = Buffer.from(value, 'base64');
  if (!deflated) return bytes.toString('utf8');
  try {
    return inflateRawSync(bytes).toString('utf8');
  } catch {
    return bytes.toString('utf8');
  }
}

function samlOf(url: URL, body: URLSearchParams | undefined): Hop['saml'] {
  for (const field of ['SAMLRequest', 'SAMLResponse'] as const) {
    const posted = body?.get(field);
    if (posted) return { field, xml: decodeSaml(posted, false) };
    const query = url.searchParams.get(field);
    if (query) return { field, xml: decodeSaml(query, true) };
  }
  return undefined;
}

/**
 * A browser for several hosts, as the citizen's browser is between our
 * server and a service: a cookie jar per host name (RFC 6265 §5.3: cookies
 * are not separated by port; Domain, Secure and SameSite are ignored, as
 * everything runs on plain-http loopback hosts), redirects followed across
 * origins, and the auto-submitting pages of the HTTP-POST binding
 * (saml-bindings §3.5) submitted as a browser's script does.
 */
export class WebClient {
  private readonly jars = new Map<string, Map<string, StoredCookie>>();
  readonly hops: Hop[] = [];

  /** One request, no redirect followed; cookies are sent and stored. */
  async request(
    target: string | URL,
    init: { method?: string; form?: Record<string, string> } = {},
  ): Promise<Response> {
    const url = new URL(target);
    if (!['localhost', '127.0.0.1'].includes(url.hostname))
      throw new Error(`the test client only visits loopback hosts, not ${url.href}`);
    const headers = new Headers({
      accept: 'text/html,application/xhtml+xml',
      'user-agent': 'Mozilla/5.0 (servicekonto interop test)',
    });
    const cookie = this.cookieHeader(url);
    if (cookie) headers.set('cookie', cookie);
    const body = init.form ? new URLSearchParams(init.form) : undefined;
    if (body) headers.set('content-type', 'application/x-www-form-urlencoded');
    const method = init.method ?? (body ? 'POST' : 'GET');
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers,
        body: body?.toString(),
        redirect: 'manual',
        signal: AbortSignal.timeout(20_000),
      });
    } catch (error) {
      throw new Error(
        `${method} ${url.href} failed: ${(error as Error).message}\nhops before:\n${this.describeHops()}`,
        { cause: error },
      );
    }
    for (const line of response.headers.getSetCookie()) this.store(url, line);
    this.hops.push({ method, url: url.href, status: response.status, saml: samlOf(url, body) });
    return response;
  }

  /**
   * Requests and follows: redirects (GET after 301/302/303), then pages
   * that only carry a SAML message in a self-submitting form, until a page
   * a person would look at.
   */
  async navigate(
    target: string | URL,
    init: { method?: string; form?: Record<string, string> } = {},
  ): Promise<Landing> {
    let url = new URL(target);
    let response = await this.request(url, init);
    for (let hops = 0; hops < 30; hops++) {
      if (response.status >= 300 && response.status < 400) {
        const location = response.headers.get('location');
        if (!location) throw new Error(`redirect ${response.status} from ${url.href} without Location`);
        await response.body?.cancel();
        url = new URL(location, url);
        response = await this.request(url);
        continue;
      }
      const body = await response.text();
      const html = parse(body);
      const form = samlPostForm(html, url);
      if (!form) return { url, status: response.status, body, html };
      url = form.action;
      response = await this.request(url, { form: form.fields });
    }
    throw new Error(`more than 30 hops, last at ${url.href}\n${this.describeHops()}`);
  }

  /** Submits a form of a page like a browser (its inputs, overridden by `values`). */
  submit(page: Landing, selector: string, values: Record<string, string> = {}): Promise<Landing> {
    const form = page.html.querySelector(selector);
    if (!form) throw new Error(`no form ${selector} at ${page.url.href}: ${textOf(page).slice(0, 400)}`);
    const fields: Record<string, string> = {};
    for (const input of form.querySelectorAll('input')) {
      const name = input.getAttribute('name');
      if (name) fields[name] = input.getAttribute('value') ?? '';
    }
    const action = new URL(form.getAttribute('action') ?? page.url.href, page.url);
    return this.navigate(action, { form: { ...fields, ...values } });
  }

  /** The last hops (method, status, URL, and the SAML message each carried), for failure messages. */
  describeHops(last = 14): string {
    return this.hops
      .slice(-last)
      .map((hop) => {
        const url = new URL(hop.url);
        const sigAlg = url.searchParams.get('SigAlg');
        // How the message was signed: over the query (HTTP-Redirect, saml-bindings §3.4.4.1) or in the XML.
        const signed = sigAlg
          ? ` [query signed, ${sigAlg}]`
          : hop.saml && /<(?:\w+:)?Signature[\s>]/.test(hop.saml.xml)
            ? ' [XML signed]'
            : hop.saml
              ? ' [unsigned]'
              : '';
        const line = `  ${hop.method} ${hop.status} ${hop.url.length > 160 ? `${hop.url.slice(0, 160)}…` : hop.url}${signed}`;
        return hop.saml ? `${line}\n    ${hop.saml.field}: ${hop.saml.xml.replace(/\s+/g, ' ').slice(0, 1200)}` : line;
      })
      .join('\n');
  }

  /** The SAML messages the client carried, in order. */
  samlMessages(): NonNullable<Hop['saml']>[] {
    return this.hops.flatMap((hop) => (hop.saml ? [hop.saml] : []));
  }

  private jarOf(host: string): Map<string, StoredCookie> {
    let jar = this.jars.get(host);
    if (!jar) {
      jar = new Map();
      this.jars.set(host, jar);
    }
    return jar;
  }

  private cookieHeader(url: URL): string {
    const jar = this.jarOf(url.hostname);
    const matching = [...jar.entries()].filter(([key, c]) => {
      if (c.expiresAt !== undefined && c.expiresAt <= Date.now()) {
        jar.delete(key);
        return false;
      }
      return pathMatches(url.pathname, c.path);
    });
    // RFC 6265 §5.4: longer paths first.
    matching.sort(([, a], [, b]) => b.path.length - a.path.length);
    return matching.map(([, c]) => `${c.name}=${c.value}`).join('; ');
  }

  private store(url: URL, line: string): void {
    const cookie = parseSetCookie(line, url.pathname);
    if (cookie) storeCookie(this.jarOf(url.hostname), cookie);
  }
}

/** A form whose only purpose is to carry a SAML message on (every stack's POST binding page): its action and fields. */
function samlPostForm(html: HTMLElement, base: URL): { action: URL; fields: Record<string, string> } | undefined {
  for (const form of html.querySelectorAll('form')) {
    const fields: Record<string, string> = {};
    for (const input of form.querySelectorAll('input, textarea')) {
      const name = input.getAttribute('name');
      if (name) fields[name] = input.tagName === 'TEXTAREA' ? input.text : (input.getAttribute('value') ?? '');
    }
    if (fields.SAMLRequest || fields.SAMLResponse)
      return { action: new URL(form.getAttribute('action') ?? base.href, base), fields };
  }
  return undefined;
}

/** Visible text of a page, whitespace collapsed. */
export function textOf(page: Landing): string {
  return page.html.text.replace(/\s+/g, ' ').trim();
}
