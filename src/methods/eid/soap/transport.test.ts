// The SOAP transport against real servers on 127.0.0.1: TLS servers that demand
// a client certificate from a throwaway test CA (TR-03130-1 §3.5.1), and
// servers that answer badly. Each refusal is an EidServerError with a stable code.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { testPki, type TestPki } from '../../../../test/helpers/tls-certs.ts';
import { EidServerError, type EidServerErrorCode } from './errors.ts';
import { createSoapTransport, type SoapTlsOptions } from './transport.ts';

type Handler = (request: http.IncomingMessage, body: string, response: http.ServerResponse) => void;

interface Seen {
  /** The client certificate's CN per request, '' without one. */
  clients: string[];
  headers: http.IncomingHttpHeaders[];
  bodies: string[];
  connections: number;
}

let pki: TestPki;
let rogue: TestPki;
let clientTls: SoapTlsOptions;

const action = 'http://bsi.bund.de/eID/useID';
const envelope =
  '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><x>ä</x></s:Body></s:Envelope>';
const refused = (code: EidServerErrorCode, detail?: RegExp) => (e: unknown) => {
  assert.ok(e instanceof EidServerError, String(e));
  assert.equal(e.code, code, e.message);
  if (detail) assert.match(e.message, detail);
  // Only a stable code in the message, never OpenSSL's or the peer's text.
  assert.match(e.message, /^[a-z_]+(: [A-Za-z0-9_ -]+)?$/);
  return true;
};
const ok: Handler = (_request, body, response) => {
  response.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' });
  response.end(body);
};

before(async () => {
  pki = await testPki('eid');
  rogue = await testPki('rogue');
  clientTls = { cert: pki.client.certificatePem, key: pki.client.privateKeyPem, ca: pki.caPem };
});

/**
 * A server on 127.0.0.1 port 0: https with the test CA demanding a client certificate, or plain http. Closed after
 * `use`.
 */
async function withServer(
  kind: 'mtls' | 'http',
  handler: Handler,
  use: (base: URL, seen: Seen) => Promise<void>,
  tls: https.ServerOptions = {},
): Promise<void> {
  const seen: Seen = { clients: [], headers: [], bodies: [], connections: 0 };
  const listener = (request: http.IncomingMessage, response: http.ServerResponse) => {
    const socket = request.socket as TLSSocket;
    seen.clients.push(
      typeof socket.getPeerCertificate === 'function' ? String(socket.getPeerCertificate().subject?.CN ?? '') : '',
    );
    seen.headers.push(request.headers);
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      seen.bodies.push(body);
      handler(request, body, response);
    });
  };
  const server =
    kind === 'mtls'
      ? https.createServer(
          {
            cert: pki.server.certificatePem,
            key: pki.server.privateKeyPem,
            ca: pki.caPem,
            requestCert: true,
            rejectUnauthorized: true,
            ...tls,
          },
          listener,
        )
      : http.createServer(listener);
  server.on(kind === 'mtls' ? 'secureConnection' : 'connection', () => seen.connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    await use(new URL(`${kind === 'mtls' ? 'https' : 'http'}://127.0.0.1:${port}/eid`), seen);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

test('mutual TLS: the call succeeds, the server saw our client certificate, the SOAP headers and the body; the connection is kept alive', async () => {
  await withServer('mtls', ok, async (url, seen) => {
    const transport = createSoapTransport({ tls: clientTls });
    const response = await transport(url, action, envelope);
    assert.deepEqual(response, { status: 200, contentType: 'text/xml; charset=utf-8', text: envelope });
    assert.deepEqual(seen.clients, [pki.client.commonName]);
    assert.equal(seen.headers[0]?.['content-type'], 'text/xml; charset=utf-8');
    assert.equal(seen.headers[0]?.soapaction, `"${action}"`);
    assert.equal(seen.bodies[0], envelope);

    await transport(url, action, envelope);
    assert.equal(seen.connections, 1, 'the second call reuses the TLS connection');
  });
});

test('no client certificate: the server refuses the handshake → tls (TLS 1.3 alert, and TLS 1.2 handshake failure)', async () => {
  const { ca } = clientTls;
  await withServer('mtls', ok, async (url, seen) => {
    await assert.rejects(
      createSoapTransport({ tls: { ca } })(url, action, envelope),
      refused('tls', /ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED/),
    );
    assert.equal(seen.bodies.length, 0);
  });
  await withServer(
    'mtls',
    ok,
    async (url, seen) => {
      await assert.rejects(createSoapTransport({ tls: { ca } })(url, action, envelope), refused('tls'));
      assert.equal(seen.bodies.length, 0);
    },
    { maxVersion: 'TLSv1.2' },
  );
});

test('a client certificate from another CA: a Node server drops the connection without an alert → network', async () => {
  await withServer('mtls', ok, async (url, seen) => {
    const transport = createSoapTransport({
      tls: { cert: rogue.client.certificatePem, key: rogue.client.privateKeyPem, ca: pki.caPem },
    });
    await assert.rejects(transport(url, action, envelope), refused('network'));
    assert.equal(seen.bodies.length, 0);
  });
});

test('a server certificate not issued by the configured ca, or checked against the default store, is refused → tls; nothing is sent', async () => {
  await withServer('mtls', ok, async (url, seen) => {
    await assert.rejects(
      createSoapTransport({ tls: { ...clientTls, ca: rogue.caPem } })(url, action, envelope),
      refused('tls'),
    );
    await assert.rejects(
      createSoapTransport({ tls: { cert: clientTls.cert, key: clientTls.key } })(url, action, envelope),
      refused('tls'),
    );
    assert.equal(seen.bodies.length, 0);
  });
});

test('TLS below 1.2 is not offered', async () => {
  await withServer(
    'mtls',
    ok,
    async (url, seen) => {
      await assert.rejects(createSoapTransport({ tls: clientTls })(url, action, envelope), refused('tls'));
      assert.equal(seen.bodies.length, 0);
    },
    { maxVersion: 'TLSv1.1', minVersion: 'TLSv1', ciphers: 'DEFAULT@SECLEVEL=0' },
  );
});

test('a redirect is refused and not followed', async () => {
  await withServer(
    'mtls',
    (_request, _body, response) => {
      response.writeHead(307, { location: '/elsewhere' });
      response.end();
    },
    async (url, seen) => {
      await assert.rejects(createSoapTransport({ tls: clientTls })(url, action, envelope), refused('redirect'));
      assert.equal(seen.bodies.length, 1);
    },
  );
});

test('the timeout covers a server that never answers and one that trickles its body', async () => {
  await withServer(
    'mtls',
    () => undefined,
    async (url) => {
      const started = Date.now();
      await assert.rejects(
        createSoapTransport({ tls: clientTls, timeoutMs: 300 })(url, action, envelope),
        refused('timeout'),
      );
      assert.ok(Date.now() - started < 3000);
    },
  );
  await withServer(
    'mtls',
    (_request, _body, response) => {
      response.writeHead(200, { 'content-type': 'text/xml' });
      const timer = setInterval(() => response.write('<a/>'), 50);
      response.on('close', () => clearInterval(timer));
    },
    async (url) => {
      await assert.rejects(
        createSoapTransport({ tls: clientTls, timeoutMs: 400 })(url, action, envelope),
        refused('timeout'),
      );
    },
  );
});

test('an oversized body: a declared length above the cap is refused unread, an endless stream is cut off', async () => {
  await withServer(
    'mtls',
    (_request, _body, response) => {
      response.writeHead(200, { 'content-type': 'text/xml', 'content-length': String(300 * 1024) });
      response.write('<a>');
    },
    async (url) => {
      await assert.rejects(createSoapTransport({ tls: clientTls })(url, action, envelope), refused('too_large'));
    },
  );
  let serverSawClose = false;
  await withServer(
    'mtls',
    (_request, _body, response) => {
      response.writeHead(200, { 'content-type': 'text/xml' });
      const chunk = 'y'.repeat(16 * 1024);
      const timer = setInterval(() => response.write(chunk), 1);
      response.on('close', () => {
        serverSawClose = true;
        clearInterval(timer);
      });
    },
    async (url) => {
      await assert.rejects(
        createSoapTransport({ tls: clientTls, maxBytes: 64 * 1024 })(url, action, envelope),
        refused('too_large'),
      );
      for (let i = 0; i < 300 && !serverSawClose; i++) await new Promise((resolve) => setTimeout(resolve, 10));
      assert.ok(serverSawClose, 'the connection was closed');
    },
  );
});

test('a body that is not UTF-8 → xml; a body cut short → network', async () => {
  await withServer(
    'mtls',
    (_request, _body, response) => {
      response.writeHead(200, { 'content-type': 'text/xml' });
      response.end(Buffer.from([0x3c, 0x61, 0x3e, 0xe4, 0x3c, 0x2f, 0x61, 0x3e]));
    },
    async (url) => {
      await assert.rejects(createSoapTransport({ tls: clientTls })(url, action, envelope), refused('xml', /not UTF-8/));
    },
  );
  await withServer(
    'mtls',
    (_request, _body, response) => {
      response.writeHead(200, { 'content-type': 'text/xml', 'content-length': '100' });
      response.write('<a>', () => response.socket?.destroy());
    },
    async (url) => {
      await assert.rejects(createSoapTransport({ tls: clientTls })(url, action, envelope), refused('network'));
    },
  );
});

test('http is refused unless allowHttp, before anything is sent; with allowHttp it works', async () => {
  await withServer('http', ok, async (url, seen) => {
    await assert.rejects(createSoapTransport({ tls: clientTls })(url, action, envelope), refused('tls', /not https/));
    await assert.rejects(
      createSoapTransport({})(new URL('ftp://127.0.0.1/eid'), action, envelope),
      refused('tls', /not https/),
    );
    assert.equal(seen.connections, 0);
    const response = await createSoapTransport({ allowHttp: true })(url, action, envelope);
    assert.equal(response.text, envelope);
    assert.equal(seen.headers[0]?.soapaction, `"${action}"`);
  });
});

test('nobody listening → network with the error code', async () => {
  let closedUrl: URL | undefined;
  await withServer('mtls', ok, async (url) => {
    closedUrl = url;
  });
  assert.ok(closedUrl);
  await assert.rejects(
    createSoapTransport({ tls: clientTls })(closedUrl, action, envelope),
    refused('network', /ECONNREFUSED/),
  );
});

test('TLS options that cannot work are refused when the transport is made', () => {
  assert.throws(() => createSoapTransport({ tls: { cert: clientTls.cert } }), /needs its key/);
  assert.throws(() => createSoapTransport({ tls: { key: clientTls.key } }), /needs its key/);
  assert.throws(
    () => createSoapTransport({ tls: { cert: clientTls.cert, key: rogue.client.privateKeyPem } }),
    /does not load/,
  );
  assert.throws(() => createSoapTransport({ tls: { ca: 'not a certificate' } }), /does not load/);
});
