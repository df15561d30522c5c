import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sign } from 'node:crypto';
import { encodeRedirectMessage } from '../../src/saml/bindings/redirect.ts';
import { createServiceProvider, registerServiceProvider, type TestServiceProvider } from '../helpers/saml-sp.ts';
import { Browser, buildTestApp, type TestApp } from '../helpers/test-app.ts';

const samlp = 'urn:oasis:names:tc:SAML:2.0:protocol';
const saml = 'urn:oasis:names:tc:SAML:2.0:assertion';

/**
 * Issue 13, point 16: a refused logout message gets an error page worded
 * for logout (German and English), and every refusal of a SAML message is
 * logged at info with its code and the service's entityID.
 */
describe('SAML refusals: wording for logout, a log line for each', () => {
  let t: TestApp;
  let sp: TestServiceProvider;
  const logged: Record<string, unknown>[] = [];
  let restore: () => void = () => undefined;
  before(async () => {
    t = await buildTestApp();
    sp = await createServiceProvider(t.app, { entityId: 'https://refused.example/saml' });
    await registerServiceProvider(t.app, sp);
    // With logging off, Fastify's request loggers are its one no-op logger: its `info` is what a refusal calls.
    const log = t.fastify.log as unknown as { info: (...args: unknown[]) => void };
    const original = log.info;
    log.info = (first: unknown) =>
      void (typeof first === 'object' && first !== null && logged.push(first as Record<string, unknown>));
    restore = () => void (log.info = original);
  });
  after(async () => {
    restore();
    await t.close();
  });

  const logoutRequest = (id: string) =>
    `<samlp:LogoutRequest xmlns:samlp="${samlp}" xmlns:saml="${saml}" ID="${id}" Version="2.0" IssueInstant="${t.clock.now().toISOString()}" Destination="${t.app.config.publicUrl}/saml/slo"><saml:Issuer>${sp.entityId}</saml:Issuer><saml:NameID>someone</saml:NameID></samlp:LogoutRequest>`;
  const refusals = () =>
    logged.flatMap((line) => (line.saml ? [line.saml as { refused: string; entityId: string | null }] : []));

  test('an unsigned LogoutRequest: the page speaks of a logout, in German and in English, and the refusal is logged', async () => {
    const url = `/saml/slo?SAMLRequest=${encodeURIComponent(encodeRedirectMessage(logoutRequest('_unsigned')))}`;
    const german = await new Browser(t.fastify).get(url, { 'accept-language': 'de' });
    assert.equal(german.statusCode, 400);
    assert.match(german.body, /Abmeldung/);
    assert.doesNotMatch(german.body, /Anmeldeanfrage/);
    assert.match(german.body, /saml-logout-not-signed/);
    const english = await new Browser(t.fastify).get(url, { 'accept-language': 'en' });
    assert.match(english.body, /sent a logout we cannot accept/);
    assert.doesNotMatch(english.body, /login request/);
    assert.deepEqual(refusals().at(-1), { refused: 'saml-logout-not-signed', entityId: sp.entityId });
  });

  test('a refused AuthnRequest is logged with its code and the entityID, also for an unknown issuer', async () => {
    // node-saml's metadata says AuthnRequestsSigned="true": an unsigned request is refused.
    const request = `<samlp:AuthnRequest xmlns:samlp="${samlp}" xmlns:saml="${saml}" ID="_a1" Version="2.0" IssueInstant="${t.clock.now().toISOString()}"><saml:Issuer>${sp.entityId}</saml:Issuer></samlp:AuthnRequest>`;
    const unsigned = await new Browser(t.fastify).get(
      `/saml/sso?SAMLRequest=${encodeURIComponent(encodeRedirectMessage(request))}`,
    );
    assert.equal(unsigned.statusCode, 400);
    assert.match(unsigned.body, /Anmeldeanfrage/, 'a login request keeps its wording');
    assert.deepEqual(refusals().at(-1), { refused: 'saml-request-not-signed', entityId: sp.entityId });
    const stranger = request.replace(sp.entityId, 'https://stranger.example/saml').replace('_a1', '_a2');
    await new Browser(t.fastify).get(`/saml/sso?SAMLRequest=${encodeURIComponent(encodeRedirectMessage(stranger))}`);
    assert.deepEqual(refusals().at(-1), { refused: 'issuer-unknown', entityId: 'https://stranger.example/saml' });
  });

  test('a LogoutRequest signed with RSA-SHA1: saml-logout-algorithm-not-allowed, naming it, logged with the algorithm', async () => {
    const sha1 = 'http://www.w3.org/2000/09/xmldsig#rsa-sha1';
    const octets = `SAMLRequest=${encodeURIComponent(encodeRedirectMessage(logoutRequest('_sha1')))}&SigAlg=${encodeURIComponent(sha1)}`;
    const signature = sign('sha1', Buffer.from(octets), sp.signing.privateKeyPem).toString('base64');
    const page = await new Browser(t.fastify).get(`/saml/slo?${octets}&Signature=${encodeURIComponent(signature)}`, {
      'accept-language': 'en',
    });
    assert.equal(page.statusCode, 400);
    assert.match(page.body, /saml-logout-algorithm-not-allowed/);
    assert.ok(page.body.includes(sha1));
    assert.match(
      page.body,
      /We accept: rsa-sha256, rsa-sha384, rsa-sha512, rsa-pss-sha256, rsa-pss-sha384, rsa-pss-sha512, ecdsa-sha256, ecdsa-sha384/,
    );
    assert.deepEqual(refusals().at(-1), {
      refused: 'saml-logout-algorithm-not-allowed',
      entityId: sp.entityId,
      algorithm: sha1,
    });
  });
});
