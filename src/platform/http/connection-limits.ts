import { isIPv6 } from 'node:net';
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { networkOf } from './network-of.ts';

export interface ConnectionLimits {
  /** Whole seconds a client may take to send its request headers. */
  headersTimeoutSeconds: number;
  /** Open connections one address (an IPv6 /64) may hold; 0: no cap. */
  maxPerAddress: number;
}

/**
 * Timeouts for Fastify's server (issue 13 §11): a client that never finishes
 * its headers (slowloris) is cut off after `headersTimeoutSeconds`; Node's
 * own defaults (60 s, checked every 30 s) let it hold a connection 60–90 s.
 * Our largest body is 64 KiB, so a whole request gets 30 s.
 */
export function serverTimeouts(limits: ConnectionLimits) {
  return {
    requestTimeout: 30_000,
    http: {
      headersTimeout: limits.headersTimeoutSeconds * 1000,
      requestTimeout: 30_000,
      // How often Node looks for requests past these timeouts (default 30 s).
      connectionsCheckingInterval: 1000,
    },
  };
}

/**
 * A cap on open connections per client address, so one client cannot hold
 * every connection the process can take (OWASP Denial of Service Cheat Sheet).
 * An IPv6 /64 is one subscriber (RFC 7421), so it is one address here.
 * Behind a reverse proxy every connection comes from the proxy: the caller
 * leaves the cap off there and the proxy limits its clients.
 */
export function capConnectionsPerAddress(server: Server, maxPerAddress: number): void {
  if (maxPerAddress <= 0) return;
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? '';
    const source = isIPv6(address) && !address.toLowerCase().startsWith('::ffff:') ? networkOf(address) : address;
    const count = (open.get(source) ?? 0) + 1;
    if (count > maxPerAddress) {
      socket.destroy();
      return;
    }
    open.set(source, count);
    socket.once('close', () => {
      const left = (open.get(source) ?? 1) - 1;
      if (left <= 0) open.delete(source);
      else open.set(source, left);
    });
  });
}
