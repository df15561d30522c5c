/**
 * What every answer must satisfy (issue 7): no 5xx; no stack trace, source
 * path or `node_modules` in the body (unless the request itself carried
 * that text, which a form may echo); an HTML answer is a whole page, an
 * error page has its heading, and a browser gets its errors as a page; no
 * redirect to a host nobody registered; and nothing fetched outside the
 * machine.
 */
import type { LightMyRequestResponse } from 'fastify';
import type { FetchRecord } from './network.ts';

export type CheckName = 'status' | 'stack' | 'page' | 'redirect' | 'network';

export interface Problem {
  check: CheckName;
  message: string;
}

export interface SentRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
}

export interface CheckOptions {
  /** The route answers browsers: its errors must be HTML pages when HTML is acceptable. */
  pages: boolean;
  /** Static files: their content is ours, not generated, and not searched for stacks. */
  staticFiles?: boolean;
}

const stackPatterns: readonly RegExp[] = [
  /\bat (?:async )?[\w$.<>[\] ]*\(?(?:file:\/\/|node:|\/)[^\s)]*\.(?:ts|js|mjs|cjs):\d+/,
  /\bat [^\s]+\.(?:ts|js|mjs|cjs):\d+:\d+/,
  /node_modules/,
  /\w*Error:[^\n]*\n\s+at /,
];

/** Hosts a redirect may lead to: ours, and the registered services' (OIDC redirect URIs, SAML ACS). */
const allowedHosts = new Set(['localhost:3000', 'service.example']);

const requestText = (r: SentRequest): string => {
  let text = `${r.url}\n${Object.values(r.headers).join('\n')}\n${typeof r.payload === 'string' ? r.payload : (r.payload?.toString('latin1') ?? '')}`;
  try {
    text += `\n${decodeURIComponent(text.replace(/%(?![0-9a-f]{2})/gi, '%25').replace(/\+/g, ' '))}`;
  } catch {
    // partly undecodable: the raw text stays
  }
  return text;
};

/**
 * A browser's navigation asks for HTML (text/html with a weight above 0); other clients get the format the endpoint
 * chooses.
 */
function wantsHtml(r: SentRequest): boolean {
  return (r.headers.accept ?? '').split(',').some((part) => {
    const [type = '', ...params] = part.split(';').map((p) => p.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    return type === 'text/html' && (q === undefined || Number(q.slice(2)) > 0);
  });
}

export function check(
  request: SentRequest,
  response: LightMyRequestResponse,
  fetched: readonly FetchRecord[],
  o: CheckOptions,
): Problem[] {
  const problems: Problem[] = [];
  const type = String(response.headers['content-type'] ?? '');
  if (response.statusCode >= 500) problems.push({ check: 'status', message: `status ${response.statusCode}` });

  if (!o.staticFiles || response.statusCode !== 200) {
    for (const pattern of stackPatterns) {
      if (pattern.test(response.body) && !pattern.test(requestText(request)))
        problems.push({
          check: 'stack',
          message: `body matches ${pattern}: …${excerptAround(response.body, pattern)}…`,
        });
    }
  }

  const hasBody = request.method !== 'HEAD' && response.body.length > 0;
  // A redirect's body is never shown (oidc-provider puts a one-line "Redirecting to …" there).
  const redirect = response.statusCode >= 300 && response.statusCode < 400;
  if (hasBody && !redirect && type.startsWith('text/html') && !o.staticFiles) {
    const body = response.body;
    if (!/^<!doctype html>\s*<html lang="(?:de|en)">/i.test(body))
      problems.push({ check: 'page', message: 'HTML answer without doctype and <html lang>' });
    else if (!/<\/html>\s*$/.test(body))
      problems.push({ check: 'page', message: 'HTML answer does not end with </html>' });
    else if (!/<title>[^<]+<\/title>/.test(body))
      problems.push({ check: 'page', message: 'HTML answer without a title' });
    else if (response.statusCode >= 400 && !/<h1[ >]/.test(body))
      problems.push({ check: 'page', message: `error page (${response.statusCode}) without a heading` });
  }
  if (o.pages && hasBody && response.statusCode >= 400 && wantsHtml(request) && !type.startsWith('text/html')) {
    problems.push({
      check: 'page',
      message: `error ${response.statusCode} for a browser as ${type || 'no content type'}: ${response.body.slice(0, 160)}`,
    });
  }

  const location = response.headers.location;
  if (typeof location === 'string' && location !== '') {
    let host = '';
    try {
      host = new URL(location, 'http://localhost:3000').host;
    } catch {
      problems.push({ check: 'redirect', message: `unparsable Location ${JSON.stringify(location.slice(0, 200))}` });
    }
    if (host !== '' && !allowedHosts.has(host))
      problems.push({ check: 'redirect', message: `redirect to ${JSON.stringify(location.slice(0, 200))}` });
  }

  for (const f of fetched) {
    if (!f.local)
      problems.push({
        check: 'network',
        message: `the app fetched ${JSON.stringify(f.url.slice(0, 200))} (outside this machine)`,
      });
  }
  return problems;
}

function excerptAround(body: string, pattern: RegExp): string {
  const index = body.search(pattern);
  return body.slice(Math.max(0, index - 80), index + 160).replace(/\s+/g, ' ');
}
