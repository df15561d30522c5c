import { Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';

/**
 * A keep-alive HTTP/1.1 client for the load generator: node:http with one
 * pooled Agent, so connection set-up is not what gets measured. Every request
 * goes to 127.0.0.1 with the Host header of the URL (the server's
 * PUBLIC_URL names `localhost`, which may resolve to ::1 first). A body sent
 * with a content coding (a browser's Accept-Encoding) is decoded here, in the
 * load generator, whose CPU is not counted.
 */
export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface RequestInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

export type HttpClient = (url: URL, init?: RequestInit) => Promise<HttpResponse>;

export function createHttpClient(maxSockets: number, timeoutMs = 30_000): { request: HttpClient; close(): void } {
  const agent = new Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets, scheduling: 'lifo' });
  const request: HttpClient = (url, init = {}) =>
    new Promise<HttpResponse>((resolve, reject) => {
      const headers: Record<string, string> = { host: url.host, ...init.headers };
      if (init.body !== undefined) headers['content-length'] = String(Buffer.byteLength(init.body));
      const outgoing = httpRequest(
        {
          agent,
          host: '127.0.0.1',
          port: url.port || 80,
          path: `${url.pathname}${url.search}`,
          method: init.method ?? 'GET',
          headers,
          timeout: timeoutMs,
        },
        (incoming) => {
          const chunks: Buffer[] = [];
          incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
          incoming.on('end', () =>
            resolve({
              status: incoming.statusCode ?? 0,
              headers: incoming.headers,
              body: decoded(Buffer.concat(chunks), incoming.headers['content-encoding']).toString('utf8'),
            }),
          );
          incoming.on('error', reject);
        },
      );
      outgoing.on('timeout', () =>
        outgoing.destroy(new Error(`timeout after ${timeoutMs} ms: ${init.method ?? 'GET'} ${url.pathname}`)),
      );
      outgoing.on('error', reject);
      outgoing.end(init.body);
    });
  return { request, close: () => agent.destroy() };
}

function decoded(body: Buffer, coding: string | undefined): Buffer {
  if (coding === 'br') return brotliDecompressSync(body);
  if (coding === 'gzip') return gunzipSync(body);
  if (coding === 'deflate') return inflateSync(body);
  return body;
}

/** application/x-www-form-urlencoded, as a browser encodes a form. */
export function formBody(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

export function basicAuth(user: string, secret: string): string {
  // RFC 6749 §2.3.1: both parts are form-urlencoded before Base64.
  const encode = (value: string) => encodeURIComponent(value).replaceAll('%20', '+');
  return `Basic ${Buffer.from(`${encode(user)}:${encode(secret)}`).toString('base64')}`;
}

/** Parses a JSON body or explains what came instead. */
export function jsonOf<T>(response: HttpResponse, what: string): T {
  try {
    return JSON.parse(response.body) as T;
  } catch {
    throw new Error(`${what}: ${response.status}, not JSON: ${response.body.slice(0, 200)}`);
  }
}
