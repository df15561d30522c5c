/** The eID client's local address (BSI TR-03124-1 §2.2: the AusweisApp listens on 127.0.0.1:24727). */
export const defaultClientUrl = 'http://127.0.0.1:24727/eID-Client';

/**
 * Phones open the eID client through the `eid://` scheme; desktops reach it over localhost (Governikus eidas-middleware
 * RequestReceiver).
 */
const mobile = /iphone|ipad|ipod|android/i;

/**
 * The link the citizen follows to start the eID client with our TC token.
 * It is a link the citizen clicks, not a redirect (TR-03130 §3.1.1 step 2).
 * `clientUrl` can point at the simulated eID client in development.
 */
export function handOverUrl(
  tcTokenUrl: string,
  userAgent: string | undefined,
  clientUrl: string = defaultClientUrl,
): string {
  const base =
    clientUrl === defaultClientUrl && mobile.test(userAgent ?? '') ? 'eid://127.0.0.1:24727/eID-Client' : clientUrl;
  return `${base}?tcTokenURL=${encodeURIComponent(tcTokenUrl)}`;
}
