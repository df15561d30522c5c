// The simulated eID-Server's SOAP-level answers to bad requests (design notes §4), over inject.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import { testKey } from '../../../test/helpers/saml-keys.ts';
import { getResultRequestElement, readGetResultResponse } from '../../methods/eid/soap/get-result.ts';
import { soapActions } from '../../methods/eid/soap/namespaces.ts';
import { serverMinor } from '../../methods/eid/soap/result.ts';
import { readUseIdResponse, useIdRequestElement } from '../../methods/eid/soap/use-id.ts';
import { signEnvelope, verifyEnvelope } from '../../methods/eid/soap/ws-security.ts';
import { eidSimulatorRoutes } from './server.ts';
import { createSimulatorStore } from './sessions.ts';

async function setup() {
  const eservice = await testKey('eid-eservice');
  const simulatorKey = await testKey('eid-simulator');
  const app = Fastify();
  // The app that mounts the simulator may have its own text/xml parser.
  app.addContentTypeParser('text/xml', { parseAs: 'string' }, (_request, body, done) =>
    done(null, `not for the simulator ${String(body)}`),
  );
  await app.register(
    eidSimulatorRoutes({
      store: createSimulatorStore(),
      signingKey: simulatorKey,
      trustedClientCertificates: [eservice.certificatePem],
    }),
    { prefix: '/dev/eid-simulator' },
  );
  const post = async (body: string, action: string) => {
    const response = await app.inject({
      method: 'POST',
      url: '/dev/eid-simulator/eid',
      headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: `"${action}"` },
      payload: body,
    });
    assert.equal(response.statusCode, 200);
    assert.match(String(response.headers['content-type']), /^text\/xml/);
    return verifyEnvelope(response.body, [simulatorKey.certificatePem], new Date()).message;
  };
  return { app, eservice, post };
}

test('a signed useID is answered, mounted under a prefix in an app with its own text/xml parser', async () => {
  const { app, eservice, post } = await setup();
  const answer = readUseIdResponse(
    await post(
      signEnvelope(useIdRequestElement({ useOperations: { RestrictedID: 'REQUIRED' } }), eservice, new Date()),
      soapActions.useID,
    ),
  );
  assert.equal(answer.result.major, 'ok');
  await app.close();
});

test('not SOAP or schema-invalid → schemaViolation; unsigned, untrusted or expired → internalError (TR-03130-1 §3.5.2)', async () => {
  const { app, eservice, post } = await setup();
  const stranger = await testKey('eid-stranger');
  const minorOf = async (body: string, action: string = soapActions.useID) =>
    (action === soapActions.useID
      ? readUseIdResponse(await post(body, action))
      : readGetResultResponse(await post(body, action))
    ).result.minor;
  assert.equal(await minorOf('<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>'), serverMinor.schemaViolation);
  const soap12 = signEnvelope(useIdRequestElement({ useOperations: {} }), eservice, new Date()).replace(
    'http://schemas.xmlsoap.org/soap/envelope/',
    'http://www.w3.org/2003/05/soap-envelope',
  );
  assert.equal(await minorOf(soap12), serverMinor.schemaViolation);
  const unsigned = signEnvelope(useIdRequestElement({ useOperations: {} }), eservice, new Date()).replace(
    /<soapenv:Header>.*<\/soapenv:Header>/s,
    '',
  );
  assert.equal(await minorOf(unsigned), serverMinor.internalError);
  assert.equal(
    await minorOf(signEnvelope(useIdRequestElement({ useOperations: {} }), stranger, new Date())),
    serverMinor.internalError,
  );
  assert.equal(
    await minorOf(signEnvelope(useIdRequestElement({ useOperations: {} }), eservice, new Date(Date.now() - 3600_000))),
    serverMinor.internalError,
  );
  // A getResult with a Session ID that is not hex, and a message that does not fit the SOAPAction.
  const badSession = signEnvelope(
    getResultRequestElement({ sessionId: 'not-hex', requestCounter: 1 }),
    eservice,
    new Date(),
  );
  assert.equal(await minorOf(badSession, soapActions.getResult), serverMinor.schemaViolation);
  const mismatch = signEnvelope(
    getResultRequestElement({ sessionId: 'AB'.repeat(16), requestCounter: 1 }),
    eservice,
    new Date(),
  );
  assert.equal(await minorOf(mismatch, soapActions.useID), serverMinor.schemaViolation);
  await app.close();
});
