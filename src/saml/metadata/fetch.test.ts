// Fetching SP metadata from a URL is a request the server makes for whoever can register a service:
// in production it never reaches loopback, private or link-local addresses unless an operator allowed
// the host, it connects to the address it checked, and its errors do not tell open ports from closed
// ones (issue 13, point 11).
import assert from 'node:assert/strict';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { test } from 'node:test';
import { testPki } from '../../../test/helpers/tls-certs.ts';
import { loadConfig } from '../../config/load.ts';
import { addressKind } from './address-kind.ts';
import { fetchMetadata, type ResolvedAddress } from './fetch.ts';

/** What every network failure says (fetch.ts). */
const unreachableMessage = 'the metadata URL could not be fetched';
const metadata = '<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://sp.example/saml"/>';
const production = { production: true, samlMetadataAllowedHosts: [] };
const development = { production: false, samlMetadataAllowedHosts: [] };

async function listen(server: Server | ReturnType<typeof createTcpServer>): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** An https server for 127.0.0.1 and localhost that counts the requests it gets. */
async function metadataServer(): Promise<{
  port: number;
  ca: string;
  requests: () => number;
  close: () => Promise<void>;
}> {
  const pki = await testPki('metadata-fetch');
  let requests = 0;
  const server = createHttpsServer(
    { cert: pki.server.certificatePem, key: pki.server.privateKeyPem },
    (_request, response) => {
      requests++;
      response.writeHead(200, { 'content-type': 'application/samlmetadata+xml' }).end(metadata);
    },
  );
  const port = await listen(server);
  return {
    port,
    ca: pki.caPem,
    requests: () => requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const resolvesTo =
  (...addresses: string[]) =>
  async (): Promise<ResolvedAddress[]> =>
    addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

test('address kinds: loopback, private (RFC 1918, RFC 4193), link-local, unspecified, multicast and reserved ranges are not public', () => {
  const cases: [string, string][] = [
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['::1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'private'],
    ['fd12:3456::1', 'private'],
    ['fc00::1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['fe80::1', 'link-local'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['192.0.2.10', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['::ffff:127.0.0.1', 'reserved'],
    ['::ffff:7f00:1', 'reserved'],
    ['64:ff9b::a00:1', 'reserved'],
    ['2002:a00:1::1', 'reserved'],
    ['2001:db8::1', 'reserved'],
    ['not an address', 'reserved'],
    ['93.184.216.34', 'public'],
    ['172.32.0.1', 'public'],
    ['8.8.8.8', 'public'],
    ['2a00:1450:4001:80b::200e', 'public'],
    ['2606:4700::6810:84e5', 'public'],
  ];
  for (const [address, kind] of cases) assert.equal(addressKind(address), kind, address);
});

test('in production, metadata on a loopback, private or link-local address is refused before any connection', async () => {
  const server = await metadataServer();
  try {
    await assert.rejects(
      fetchMetadata(`https://127.0.0.1:${server.port}/saml/metadata`, production, { ca: server.ca }),
      /loopback address/,
    );
    await assert.rejects(
      fetchMetadata(`https://localhost:${server.port}/saml/metadata`, production, {
        ca: server.ca,
        resolve: resolvesTo('127.0.0.1'),
      }),
      /loopback address/,
    );
    await assert.rejects(fetchMetadata('https://[::1]/saml/metadata', production), /loopback address/);
    await assert.rejects(fetchMetadata('https://169.254.169.254/latest/meta-data', production), /link-local address/);
    await assert.rejects(fetchMetadata('https://0.0.0.0/', production), /unspecified address/);
    for (const [address, kind] of [
      ['10.0.0.5', 'private'],
      ['192.168.0.1', 'private'],
      ['fd00::1', 'private'],
      ['fe80::1', 'link-local'],
      ['224.0.0.1', 'multicast'],
      ['::ffff:127.0.0.1', 'reserved'],
    ]) {
      await assert.rejects(
        fetchMetadata('https://sp.example/saml/metadata', production, { resolve: resolvesTo(address ?? '') }),
        new RegExp(`${kind} address; an operator may allow the host with SAML_METADATA_ALLOWED_HOSTS`),
        address,
      );
    }
    // One public and one internal answer: every address is checked, not only the first.
    await assert.rejects(
      fetchMetadata('https://sp.example/saml/metadata', production, {
        resolve: resolvesTo('93.184.216.34', '127.0.0.1'),
      }),
      /loopback address/,
    );
    assert.equal(server.requests(), 0, 'nothing reached the server');
  } finally {
    await server.close();
  }
});

test('a host the operator allowed is fetched in production, from the address resolved once', async () => {
  const server = await metadataServer();
  try {
    const allowed = {
      production: true,
      samlMetadataAllowedHosts: loadConfig({ SAML_METADATA_ALLOWED_HOSTS: ' LocalHost , [::1]' }).config
        .samlMetadataAllowedHosts,
    };
    assert.deepEqual(allowed.samlMetadataAllowedHosts, ['localhost', '::1']);
    // The name server answers loopback once and then an address with nothing behind it (a rebinding
    // attack the other way round): the request still reaches the checked address.
    let lookups = 0;
    const resolve = async (): Promise<ResolvedAddress[]> =>
      lookups++ === 0 ? [{ address: '127.0.0.1', family: 4 }] : [{ address: '10.255.255.1', family: 4 }];
    assert.equal(
      await fetchMetadata(`https://localhost:${server.port}/saml/metadata`, allowed, { ca: server.ca, resolve }),
      metadata,
    );
    assert.equal(lookups, 1, 'resolved once');
    assert.equal(server.requests(), 1);
    // Another host on the same address is still refused.
    await assert.rejects(
      fetchMetadata(`https://127.0.0.1:${server.port}/saml/metadata`, allowed, { ca: server.ca }),
      /loopback address/,
    );
  } finally {
    await server.close();
  }
});

test('outside production loopback stays allowed (the suite and the example), other internal addresses do not', async () => {
  const plain = createHttpServer((request, response) => {
    if (request.url === '/redirect') return void response.writeHead(302, { location: 'http://127.0.0.1:1/' }).end();
    // Chunked, without a length: the limit is counted while reading.
    if (request.url === '/huge') return void response.writeHead(200).end('x'.repeat(1024 * 1024 + 1));
    response.writeHead(200).end(metadata);
  });
  const port = await listen(plain);
  try {
    assert.equal(await fetchMetadata(`http://127.0.0.1:${port}/saml/metadata`, development), metadata);
    await assert.rejects(
      fetchMetadata(`http://127.0.0.1:${port}/redirect`, development),
      /the metadata URL answered 302/,
    );
    await assert.rejects(fetchMetadata(`http://127.0.0.1:${port}/huge`, development), /larger than 1 MiB/);
    await assert.rejects(
      fetchMetadata('https://sp.example/saml/metadata', development, { resolve: resolvesTo('10.0.0.5') }),
      /private address/,
    );
    await assert.rejects(fetchMetadata('http://sp.example/saml/metadata', development), /must use https/);
  } finally {
    await new Promise((resolve) => plain.close(resolve));
  }
});

test('a closed port, an open port that speaks no HTTP, a reset, a TLS failure and an unknown name give one message', async () => {
  const closed = createTcpServer();
  const closedPort = await listen(closed);
  await new Promise((resolve) => closed.close(resolve));
  // resume(): the server reads the client's request, so it sees the client close and can close itself.
  const garbage = createTcpServer((socket) => socket.resume().end('SSH-2.0-OpenSSH_9.6\r\n'));
  const reset = createTcpServer((socket) => socket.resetAndDestroy());
  const garbagePort = await listen(garbage);
  const resetPort = await listen(reset);
  const tls = await metadataServer();
  try {
    const errors: string[] = [];
    const attempt = async (url: string, deps = {}) => {
      const error = await fetchMetadata(url, development, deps).then(
        () => undefined,
        (e: Error) => e,
      );
      assert.ok(error, url);
      assert.equal(error.cause, undefined, 'no cause to read the port state from');
      errors.push(error.message);
    };
    await attempt(`http://127.0.0.1:${closedPort}/saml/metadata`);
    await attempt(`http://127.0.0.1:${garbagePort}/saml/metadata`);
    await attempt(`http://127.0.0.1:${resetPort}/saml/metadata`);
    await attempt(`https://127.0.0.1:${tls.port}/saml/metadata`); // the test CA is not trusted here
    await attempt('https://sp.invalid/saml/metadata', { resolve: async () => Promise.reject(new Error('ENOTFOUND')) });
    assert.deepEqual(errors, Array(5).fill(unreachableMessage));
  } finally {
    await new Promise((resolve) => garbage.close(resolve));
    await new Promise((resolve) => reset.close(resolve));
    await tls.close();
  }
});
