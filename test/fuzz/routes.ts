/**
 * The routes the app registers, read from Fastify's own route tree
 * (`printRoutes`), so that a route added without a fuzz entry is noticed.
 * HEAD is left out: Fastify answers it from the GET handler, and every GET
 * target sends some HEAD requests.
 */
import type { FastifyInstance } from 'fastify';

export interface RegisteredRoute {
  method: string;
  path: string;
}

const line = /^([│ ]*)(?:├── |└── )(.*?)(?: \(([A-Z, ]+)\))?$/;

/** Method and path of every route; a node's path is its ancestors' segments joined. */
export function registeredRoutes(fastify: FastifyInstance): RegisteredRoute[] {
  const stack: string[] = [];
  const routes: RegisteredRoute[] = [];
  for (const text of fastify.printRoutes().split('\n')) {
    const match = line.exec(text);
    if (!match) continue;
    const depth = (match[1] ?? '').length / 4;
    stack.length = depth;
    stack.push(match[2] ?? '');
    const path = stack.join('');
    for (const method of (match[3] ?? '').split(', ')) {
      if (method !== '' && method !== 'HEAD') routes.push({ method, path });
    }
  }
  return routes;
}

export const routeKey = (r: RegisteredRoute): string => `${r.method} ${r.path}`;
