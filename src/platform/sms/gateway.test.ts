import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { httpSmsGateway, SmsDeliveryError } from './gateway.ts';

/** A local HTTP endpoint standing in for the operator's SMS gateway: records requests, answers a set status. */
const received: { headers: IncomingHttpHeaders; body: string }[] = [];
let status = 202;
const server = createServer((request, response) => {
  let body = '';
  request.on('data', (chunk: Buffer) => (body += chunk.toString()));
  request.on('end', () => {
    received.push({ headers: request.headers, body });
    response.writeHead(status).end('{}');
  });
});
let url = '';
before(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/send`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

test('the gateway gets JSON with number, text and sender, and the bearer token', async () => {
  await httpSmsGateway({ url, token: 'gateway-token', sender: 'Anmeldung' }).send({
    to: '+4915123456789',
    text: 'Code 123456',
  });
  const last = received.at(-1);
  assert.equal(last?.headers.authorization, 'Bearer gateway-token');
  assert.equal(last?.headers['content-type'], 'application/json');
  assert.deepEqual(JSON.parse(last?.body ?? ''), { to: '+4915123456789', text: 'Code 123456', from: 'Anmeldung' });
});

test('without a token no authorization header is sent', async () => {
  await httpSmsGateway({ url, token: undefined, sender: 'Anmeldung' }).send({ to: '+4915123456789', text: 'x' });
  assert.equal(received.at(-1)?.headers.authorization, undefined);
});

test('a refusal or an unreachable gateway is a delivery error, not silence', async () => {
  status = 503;
  await assert.rejects(
    httpSmsGateway({ url, token: undefined, sender: 'Anmeldung' }).send({ to: '+4915123456789', text: 'x' }),
    SmsDeliveryError,
  );
  status = 202;
  await assert.rejects(
    httpSmsGateway({ url: 'http://127.0.0.1:1/send', token: undefined, sender: 'Anmeldung' }).send({
      to: '+4915123456789',
      text: 'x',
    }),
    SmsDeliveryError,
  );
});
