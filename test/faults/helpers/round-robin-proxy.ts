import { createServer, request as forward, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request that went through the proxy, and which upstream answered it. */
export interface Hop {
  method: string;
  path: string;
  upstream: number;
  status: number;
  location: string | undefined;
}

export interface RoundRobinProxy {
  url: string;
  /** Every request so far, in the order they arrived. */
  hops: Hop[];
  /** The upstream the next request goes to. */
  next(): number;
  /** Sends GET /healthz through the proxy when needed, so that the next request goes to `upstream`. */
  align(upstream: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * A load balancer as simple as it gets: each request goes to the next
 * upstream in turn, whatever the client or its cookies, so nothing a request
 * needs may live in one instance's memory. Host is passed on unchanged (both
 * instances have PUBLIC_URL = the proxy's URL); X-Forwarded-For is appended,
 * as a real proxy does.
 */
export async function startRoundRobinProxy(upstreams: readonly number[]): Promise<RoundRobinProxy> {
  let counter = 0;
  const hops: Hop[] = [];
  const server = createServer((incoming, outgoing) => {
    const upstream = counter++ % upstreams.length;
    const headers: IncomingHttpHeaders = { ...incoming.headers };
    const peer = incoming.socket.remoteAddress ?? '127.0.0.1';
    headers['x-forwarded-for'] = headers['x-forwarded-for'] ? `${String(headers['x-forwarded-for'])}, ${peer}` : peer;
    const hop: Hop = {
      method: incoming.method ?? 'GET',
      path: incoming.url ?? '/',
      upstream,
      status: 0,
      location: undefined,
    };
    hops.push(hop);
    const upstreamRequest = forward(
      { host: '127.0.0.1', port: upstreams[upstream], method: incoming.method, path: incoming.url, headers },
      (answer) => {
        hop.status = answer.statusCode ?? 0;
        hop.location = answer.headers.location;
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    upstreamRequest.on('error', () => {
      hop.status = 502;
      if (!outgoing.headersSent) outgoing.writeHead(502, { 'content-type': 'text/plain' });
      outgoing.end('bad gateway');
    });
    incoming.pipe(upstreamRequest);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    hops,
    next: () => counter % upstreams.length,
    async align(upstream) {
      while (counter % upstreams.length !== upstream) {
        const response = await fetch(`${url}/healthz`);
        await response.body?.cancel();
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
