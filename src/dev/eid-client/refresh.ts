import type { RefreshResult } from '../eid-simulator/paos.ts';

/**
 * The RefreshAddress with the result appended as the AusweisApp's
 * `UrlUtil::addMajorMinor` does (design notes §0.2): `ResultMajor=ok`, or
 * `ResultMajor=error&ResultMinor=<suffix>`, after the query the address
 * already has (`&`), or as its query (`?`). The fragment stays.
 */
export function withResult(address: string, refresh: RefreshResult): string {
  const url = new URL(address);
  const result = refresh.major === 'ok' ? 'ResultMajor=ok' : `ResultMajor=error&ResultMinor=${refresh.minor}`;
  url.search = url.search.length > 1 ? `${url.search}&${result}` : result;
  return url.href;
}
