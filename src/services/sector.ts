/**
 * The pseudonym sector, one rule for both protocols (DESIGN.md §4): the
 * host of the service without a port, in lower case (WHATWG URL host
 * parsing, so IDNs are punycode). A SAML service's sector is registered
 * with it (`sp add`: its ACS host, or `--sector`); an OIDC client's is the
 * host of its redirect URIs, or the sector pinned at registration for
 * clients registered before the rule dropped the port (migration 0009).
 */

/** The host of a URL without port; undefined for anything that is no URL with a host. */
export function sectorOfUrl(url: string): string | undefined {
  try {
    const hostname = new URL(url).hostname;
    return hostname === '' ? undefined : hostname;
  } catch {
    return undefined;
  }
}

/** A `host[:port]` (oidc-provider's sectorIdentifier) without its port. */
export function sectorOfHost(host: string): string {
  return sectorOfUrl(`https://${host}/`) ?? host;
}

/** What an operator may give as `--sector`: a DNS host name (RFC 1123), no port, no scheme, no path. */
export function isSectorHost(value: string): boolean {
  return (
    value.length <= 253 &&
    /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/.test(value)
  );
}
