import type { FastifyInstance } from 'fastify';

/**
 * A fetch that reaches our own PUBLIC_URL origin through the app's router
 * (`inject`) and everything else over the network, so that the simulated
 * client finds the TC token and the mounted PAOS stand-in whatever address
 * the process listens on (and in tests that never listen), as the
 * in-process SOAP transport of the simulator does. Redirects are never
 * followed by inject, which is what the callers ask for anyway.
 */
export function ownOriginFetch(
  fastify: FastifyInstance,
  publicUrl: string,
  network: typeof fetch = fetch,
): typeof fetch {
  const own = new URL(publicUrl).origin;
  return async (input, init) => {
    if (typeof input !== 'string' && !(input instanceof URL)) return network(input, init);
    const url = new URL(input);
    if (url.origin !== own) return network(input, init);
    const response = await fastify.inject({
      method: (init?.method ?? 'GET') as 'GET' | 'POST',
      url: `${url.pathname}${url.search}`,
      headers: Object.fromEntries(new Headers(init?.headers).entries()),
      ...(typeof init?.body === 'string' && { payload: init.body }),
    });
    const headers = new Headers();
    for (const [name, value] of Object.entries(response.headers)) {
      if (value === undefined) continue;
      if (Array.isArray(value)) for (const v of value) headers.append(name, v);
      else headers.set(name, String(value));
    }
    const noBody = [101, 204, 205, 304].includes(response.statusCode);
    return new Response(noBody ? null : new Uint8Array(response.rawPayload), { status: response.statusCode, headers });
  };
}
