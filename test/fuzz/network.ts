/**
 * No request of the fuzz run leaves the machine: `globalThis.fetch` is
 * replaced before the app is built (the simulated eID client takes the
 * global fetch when its routes are registered), every address asked for is
 * recorded, and every call fails as an unreachable network would. The app
 * reaches its own origin in-process (dev/eid-client/own-origin.ts), never
 * through this fetch.
 */
export interface FetchRecord {
  url: string;
  /** Loopback (127.0.0.1, localhost, [::1]): would stay on the machine. */
  local: boolean;
}

const loopback = new Set(['127.0.0.1', 'localhost', '[::1]']);
const fetched: FetchRecord[] = [];
let installed = false;

export function installNetworkStub(): void {
  if (installed) return;
  installed = true;
  globalThis.fetch = async (input: string | URL | Request) => {
    const url = input instanceof Request ? input.url : String(input);
    let host = '';
    try {
      host = new URL(url).hostname;
    } catch {
      // recorded as not local
    }
    fetched.push({ url, local: loopback.has(host) });
    throw new TypeError('fetch failed (the fuzz run has no network)');
  };
}

/** Fetches since the last call, and forgets them. */
export function takeFetches(): FetchRecord[] {
  return fetched.splice(0, fetched.length);
}
