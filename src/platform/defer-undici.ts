/**
 * Keeps Node's bundled fetch library (undici) unloaded until something uses it (issue 16 §4: idle RSS ≤ 120 MB).
 *
 * `node:http` offers `WebSocket`, `CloseEvent` and `MessageEvent` as getters that load undici on first read, because
 * it is large (nodejs/node lib/http.js, "lazyUndici"). But an ES module's `import … from 'node:http'` (ours,
 * oidc-provider's `import { STATUS_CODES } from 'node:http'`) makes Node copy every own property of the module into
 * the named exports once (lib/internal/bootstrap/realm.js, syncExports), and that reads the getters: undici's 760 KB
 * of source compiled and resident in every server, though it serves no request of ours. Moved one step down the
 * prototype chain, the getters are no own properties any more: `http.WebSocket` still loads undici when read, only
 * the named ES import of these three (`import { WebSocket } from 'node:http'`, used nowhere here) reads undefined.
 * The globals (`fetch`, `WebSocket`) stay as lazy as Node made them.
 */
import { createRequire } from 'node:module';

const lazyNames = ['WebSocket', 'CloseEvent', 'MessageEvent'];

/** Call before any ES module imports `node:http`; calling it again changes nothing. */
export function deferUndici(): void {
  const http = createRequire(import.meta.url)('node:http') as Record<string, unknown>;
  const moved: PropertyDescriptorMap = {};
  for (const name of lazyNames) {
    const descriptor = Object.getOwnPropertyDescriptor(http, name);
    if (!descriptor?.get) continue;
    moved[name] = descriptor;
    Reflect.deleteProperty(http, name);
  }
  if (Object.keys(moved).length === 0) return;
  Object.setPrototypeOf(http, Object.create(Object.getPrototypeOf(http) as object, moved));
}
