import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { buildTestApp, type TestApp } from '../helpers/test-app.ts';

/**
 * Issue 13 §11: slow clients are cut off, and one address cannot hold every connection. Raw sockets on a real listening
 * server.
 */
let t: TestApp;
let port: number;
const sockets: Socket[] = [];
before(async () => {
  t = await buildTestApp({ HEADERS_TIMEOUT_SECONDS: '1', MAX_CONNECTIONS_PER_ADDRESS: '3' });
  await t.fastify.listen({ host: '127.0.0.1', port: 0 });
  port = (t.fastify.server.address() as AddressInfo).port;
});
after(async () => {
  for (const socket of sockets) socket.destroy();
  await t.close();
});

/** Opens a connection from `from`; resolves once connected. */
function open(from: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, localAddress: from }, () => resolve(socket));
    socket.on('error', reject);
    sockets.push(socket);
  });
}

/** Milliseconds until the server closes the socket (or `limit` if it does not); collects what it sent. */
function closedWithin(socket: Socket, limit: number): Promise<{ ms: number; data: string }> {
  const started = Date.now();
  let data = '';
  socket.on('data', (chunk: Buffer) => (data += chunk.toString()));
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ ms: limit, data }), limit);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve({ ms: Date.now() - started, data });
    });
  });
}

async function get(from: string, path: string): Promise<string> {
  const socket = await open(from);
  socket.write(`GET ${path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`);
  return (await closedWithin(socket, 5000)).data;
}

test('a client that never finishes its headers is cut off within seconds', async () => {
  const slow = await open('127.0.0.4');
  slow.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: ');
  const { ms, data } = await closedWithin(slow, 6000);
  assert.ok(ms < 4000, `closed after ${ms} ms`);
  assert.match(data, /^HTTP\/1\.1 408/);
});

test('one address cannot open more connections than the cap; another address still can', async () => {
  const held = await Promise.all([open('127.0.0.2'), open('127.0.0.2'), open('127.0.0.2')]);
  const extra = await open('127.0.0.2');
  const { ms } = await closedWithin(extra, 2000);
  assert.ok(ms < 2000, 'the fourth connection from one address is closed at once');
  assert.match(await get('127.0.0.3', '/healthz'), /^HTTP\/1\.1 200/, 'another address is served');
  for (const socket of held) socket.destroy();
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.match(await get('127.0.0.2', '/healthz'), /^HTTP\/1\.1 200/, 'closed connections free their places');
});
