/** Cookie rules the test browsers share (test/e2e/helpers/browser.ts, test/interop/helpers/web-client.ts). */

export interface StoredCookie {
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

/** RFC 6265 §5.1.4: path-match. */
export function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/';
}

/**
 * One Set-Cookie line (RFC 6265 §5.2): name, value, path, and Max-Age over Expires; Domain, Secure and SameSite are
 * left to the caller.
 */
export function parseSetCookie(line: string, requestPath: string): StoredCookie | undefined {
  const [pair = '', ...attributes] = line.split(';');
  const eq = pair.indexOf('=');
  if (eq <= 0) return undefined;
  const name = pair.slice(0, eq).trim();
  const value = pair.slice(eq + 1).trim();
  let path = defaultPath(requestPath);
  let expiresAt: number | undefined;
  let maxAgeSeen = false;
  for (const attribute of attributes) {
    const [rawKey = '', ...rest] = attribute.split('=');
    const key = rawKey.trim().toLowerCase();
    const attrValue = rest.join('=').trim();
    if (key === 'path' && attrValue.startsWith('/')) path = attrValue;
    else if (key === 'max-age' && /^-?\d+$/.test(attrValue)) {
      maxAgeSeen = true;
      expiresAt = Date.now() + Number(attrValue) * 1000;
    } else if (key === 'expires' && !maxAgeSeen) {
      const time = Date.parse(attrValue);
      if (!Number.isNaN(time)) expiresAt = time;
    }
  }
  return { name, value, path, expiresAt };
}

/** Stores a parsed cookie in a jar keyed by name and path; an expired one removes its entry. */
export function storeCookie(jar: Map<string, StoredCookie>, cookie: StoredCookie): void {
  const key = `${cookie.name}\u0000${cookie.path}`;
  if (cookie.expiresAt !== undefined && cookie.expiresAt <= Date.now()) jar.delete(key);
  else jar.set(key, cookie);
}
