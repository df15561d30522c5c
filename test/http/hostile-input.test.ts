import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { deflateRawSync } from 'node:zlib';
import { buildTestApp, type TestApp } from '../helpers/test-app.ts';

/** Malformed requests of every kind must end in a 2xx-4xx answer, never a 5xx or a stack trace. */
describe('hostile input', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
  });
  after(() => t.close());

  const requests: { method: 'GET' | 'POST'; url: string; payload?: string; type?: string }[] = [
    { method: 'GET', url: '/%' },
    // SAML endpoints: every malformed message ends on the error page (400/413), never a 5xx.
    { method: 'GET', url: '/saml/sso' },
    { method: 'GET', url: '/saml/sso?SAMLRequest=%%%' },
    { method: 'GET', url: '/saml/sso?SAMLRequest=a&SAMLRequest=b' },
    {
      method: 'GET',
      url: `/saml/sso?SAMLRequest=${encodeURIComponent(Buffer.from(deflateRawSync(Buffer.from('<a/>'))).toString('base64'))}`,
    },
    {
      method: 'GET',
      url: `/saml/sso?SAMLRequest=${encodeURIComponent(Buffer.from(deflateRawSync(Buffer.alloc(5_000_000, 0x20))).toString('base64'))}`,
    },
    {
      method: 'GET',
      url: `/saml/sso?SAMLRequest=${encodeURIComponent(Buffer.from(deflateRawSync(Buffer.from('<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>'))).toString('base64'))}`,
    },
    {
      method: 'POST',
      url: '/saml/sso',
      payload: 'SAMLRequest=PGEvPg%3D%3D',
      type: 'application/x-www-form-urlencoded',
    },
    {
      method: 'POST',
      url: '/saml/sso',
      payload: 'SAMLRequest=a&SAMLRequest=b',
      type: 'application/x-www-form-urlencoded',
    },
    {
      method: 'POST',
      url: '/saml/sso',
      payload: `SAMLRequest=${'A'.repeat(62_000)}`,
      type: 'application/x-www-form-urlencoded',
    },
    { method: 'POST', url: '/saml/sso', payload: '<AuthnRequest/>', type: 'application/xml' },
    { method: 'GET', url: '/saml/slo?SAMLResponse=PGEvPg%3D%3D' },
    { method: 'GET', url: '/saml/slo?SAMLRequest=x&SAMLResponse=y' },
    { method: 'POST', url: '/saml/slo', payload: 'RelayState=x', type: 'application/x-www-form-urlencoded' },
    { method: 'GET', url: '/saml/login/s_unknown' },
    {
      method: 'POST',
      url: '/saml/login/s_unknown/consent',
      payload: '_csrf=x',
      type: 'application/x-www-form-urlencoded',
    },
    { method: 'GET', url: '/saml/logout/next/unknown' },
    { method: 'GET', url: '/verify-email?token=%00%ff' },
    { method: 'GET', url: `/verify-email?token=${'a'.repeat(5000)}` },
    { method: 'GET', url: '/reset-password' },
    { method: 'GET', url: '/reset-password?token=a&token=b' },
    { method: 'GET', url: '/verify-email?token=a&token=b' },
    {
      method: 'POST',
      url: '/verify-email',
      payload: 'token=a&token=b',
      type: 'application/x-www-form-urlencoded',
    },
    { method: 'POST', url: '/verify-email', payload: 'token=%00%ff', type: 'application/x-www-form-urlencoded' },
    { method: 'GET', url: '/interaction/unknown/resume?service=a&service=b' },
    { method: 'GET', url: '/interaction/unknown/resume?service=%00' },
    { method: 'GET', url: '/confirm-email-change?token=a&token=b' },
    { method: 'GET', url: '/login?return=a&return=b' },
    { method: 'GET', url: '/language?lang=en&lang=de' },
    { method: 'GET', url: '/oidc/auth?client_id=a&client_id=b' },
    { method: 'GET', url: '/interaction/does-not-exist' },
    { method: 'GET', url: `/interaction/${'x'.repeat(300)}` },
    {
      method: 'POST',
      url: '/interaction/abc/password',
      payload: 'username=a',
      type: 'application/x-www-form-urlencoded',
    },
    { method: 'GET', url: '/oidc/auth' },
    {
      method: 'GET',
      url: '/oidc/auth?client_id=unknown&response_type=code&scope=openid&redirect_uri=http://evil.example/',
    },
    { method: 'GET', url: '/oidc/auth?client_id[]=a&scope=%ff' },
    {
      method: 'POST',
      url: '/oidc/token',
      payload: 'grant_type=authorization_code&code=x',
      type: 'application/x-www-form-urlencoded',
    },
    { method: 'POST', url: '/oidc/token', payload: '{not json', type: 'application/json' },
    { method: 'GET', url: '/oidc/userinfo', type: undefined },
    { method: 'GET', url: '/oidc/session/end?id_token_hint=garbage' },
    { method: 'POST', url: '/oidc/token/introspection', payload: 'token=x', type: 'application/x-www-form-urlencoded' },
    { method: 'POST', url: '/login/password', payload: '%%%', type: 'application/x-www-form-urlencoded' },
    { method: 'POST', url: '/login/password', payload: '<xml/>', type: 'application/xml' },
    { method: 'POST', url: '/register', payload: 'a'.repeat(100_000), type: 'application/x-www-form-urlencoded' },
    { method: 'GET', url: '/language?lang=xx&return=javascript:alert(1)' },
    { method: 'GET', url: '/account/export' },
    {
      method: 'POST',
      url: '/account/services/revoke',
      payload: 'service=x',
      type: 'application/x-www-form-urlencoded',
    },
  ];

  for (const r of requests) {
    test(`${r.method} ${r.url.slice(0, 80)} → 4xx or redirect, no 5xx`, async () => {
      const response = await t.fastify.inject({
        method: r.method,
        url: r.url,
        ...(r.payload === undefined ? {} : { payload: r.payload }),
        headers: { accept: 'text/html', ...(r.type ? { 'content-type': r.type } : {}) },
      });
      assert.ok(response.statusCode < 500, `status ${response.statusCode}: ${response.body.slice(0, 300)}`);
      assert.doesNotMatch(response.body, /at [\w.<>]+ \(.*:\d+:\d+\)/, 'no stack trace');
    });
  }

  test('pages carry CSP and the other security headers', async () => {
    const response = await t.fastify.inject({ method: 'GET', url: '/login' });
    assert.match(String(response.headers['content-security-policy']), /default-src 'self'/);
    assert.match(String(response.headers['content-security-policy']), /frame-ancestors 'none'/);
    assert.equal(response.headers['x-content-type-options'], 'nosniff');
    assert.equal(response.headers['x-frame-options'], 'DENY');
  });

  test('discovery lists S256, pairwise, end_session and back-channel logout', async () => {
    const response = await t.fastify.inject({ method: 'GET', url: '/.well-known/openid-configuration' });
    assert.equal(response.statusCode, 200);
    const doc = response.json<Record<string, unknown>>();
    assert.deepEqual(doc.code_challenge_methods_supported, ['S256']);
    assert.ok((doc.subject_types_supported as string[]).includes('pairwise'));
    assert.equal(doc.end_session_endpoint, 'http://localhost:3000/oidc/session/end');
    assert.equal(doc.backchannel_logout_supported, true);
    for (const scope of ['openid', 'profile', 'email', 'address', 'phone'])
      assert.ok((doc.scopes_supported as string[]).includes(scope));
  });

  test('health and readiness', async () => {
    assert.equal((await t.fastify.inject({ method: 'GET', url: '/healthz' })).json<{ status: string }>().status, 'ok');
    const ready = await t.fastify.inject({ method: 'GET', url: '/readyz' });
    assert.equal(ready.statusCode, 200);
    assert.equal(ready.json<{ database: string }>().database, 'pglite');
  });

  test('found by fuzzing: NUL characters, broken path encodings, over-long parameters and a stale resume link get a 4xx page', async () => {
    const html = { accept: 'text/html' };
    const cases: [string, number][] = [
      ['/oidc/auth?client_id=a%00b&response_type=code&scope=openid&redirect_uri=https://x.example', 400],
      ['/saml/logout/next/a%00b', 400],
      ['/%E0%A4%A', 400],
      [`/interaction/${'x'.repeat(201)}`, 414],
      ['/oidc/auth/stale-uid?client_id=x', 400],
    ];
    for (const [url, status] of cases) {
      const response = await t.fastify.inject({ method: 'GET', url, headers: html });
      assert.equal(response.statusCode, status, url);
      assert.match(String(response.headers['content-type']), /^text\/html/, url);
      assert.match(response.body, /<html lang="de">/, url);
      assert.doesNotMatch(response.body, /FST_ERR|node_modules|at .*\.(ts|js):\d+/, url);
    }
  });
});
