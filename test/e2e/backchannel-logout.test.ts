/**
 * Back-channel logout (OpenID Connect Back-Channel Logout 1.0): the service
 * is told when the citizen's session ends, on the logout page and when a
 * password reset ends every session. The service's endpoint is a real HTTP
 * server; the logout token is verified with jose against the published JWKS.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import * as client from 'openid-client';
import { generate } from 'otplib';
import { Browser, parsePage, readForm } from './helpers/browser.ts';
import {
  authorizationRequest,
  authorize,
  discover,
  rejectsWithOAuthError,
  registrationArgs,
  type ServiceRegistration,
} from './helpers/relying-party.ts';
import {
  childEnv,
  createScratchDatabase,
  dropScratchDatabase,
  freePort,
  runCli,
  startServer,
  type RunningServer,
} from './helpers/server.ts';
import { startSmtpSink } from './helpers/smtp-sink.ts';

describe('back-channel logout', () => {
  const received: string[] = [];
  let receiver: Server;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  let server: RunningServer;
  let scratch: { name: string; url: string };
  let config: client.Configuration;
  let service: ServiceRegistration;
  const citizen = {
    username: 'erika.bcl',
    email: 'erika.bcl@example.org',
    password: 'Zwei Katzen schlafen auf dem Sofa',
  };
  // Issue 13, point 7: changing the password or blocking a means on "Mein Konto" ends the services' logins too.
  const changer = { username: 'max.bcl', email: 'max.bcl@example.org', password: 'Zwei Katzen schlafen auf dem Sofa' };
  const blocker = {
    username: 'lena.bcl',
    email: 'lena.bcl@example.org',
    password: 'Zwei Katzen schlafen auf dem Sofa',
  };

  before(async () => {
    receiver = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        const token = new URLSearchParams(body).get('logout_token');
        if (token) received.push(token);
        response.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const receiverPort = (receiver.address() as AddressInfo).port;
    smtp = await startSmtpSink();
    scratch = await createScratchDatabase();
    const port = await freePort();
    const env = childEnv({
      DATABASE_URL: scratch.url,
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: `http://localhost:${port}`,
      LOG_LEVEL: 'warn',
      START_EXAMPLE: 'false',
      SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
    });
    service = {
      clientId: 'bcl-service',
      clientSecret: randomBytes(32).toString('base64url'),
      redirectUri: 'https://service.example/callback',
      postLogoutRedirectUri: 'https://service.example/',
      name: 'BCL-Testdienst',
    };
    await runCli(
      [...registrationArgs(service), '--backchannel-logout-uri', `http://127.0.0.1:${receiverPort}/backchannel-logout`],
      env,
    );
    for (const who of [citizen, changer, blocker])
      await runCli(
        ['user', 'create', '--username', who.username, '--email', who.email, '--password', who.password, '--verified'],
        env,
      );
    server = await startServer(env, port);
    config = await discover(server.baseUrl, service);
  });

  after(async () => {
    await server?.stop();
    await smtp?.close();
    await new Promise((resolve) => receiver?.close(resolve));
    if (scratch) await dropScratchDatabase(scratch.name);
  });

  /** Logs the citizen in at the service; returns the ID token's claims. */
  async function logIn(
    browser: Browser,
    who = citizen,
  ): Promise<{ claims: client.IDToken; idToken: string; refreshToken: string }> {
    const request = await authorizationRequest(config, service);
    const { callback } = await authorize(browser, request.url, who);
    const tokens = await client.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: request.codeVerifier,
      expectedState: request.state,
      expectedNonce: request.nonce,
      idTokenExpected: true,
    });
    const claims = tokens.claims();
    assert.ok(claims && tokens.id_token && tokens.refresh_token);
    return { claims, idToken: tokens.id_token, refreshToken: tokens.refresh_token };
  }

  /** The logout token for one provider session, whenever it arrives. */
  async function logoutTokenFor(sid: unknown): Promise<JWTPayload> {
    const jwks = createRemoteJWKSet(new URL(config.serverMetadata().jwks_uri ?? ''));
    for (let i = 0; i < 100; i++) {
      for (const token of received) {
        const { payload } = await jwtVerify(token, jwks, { issuer: server.baseUrl, audience: service.clientId });
        if (payload.sid === sid) return payload;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return assert.fail(`no logout token for sid ${String(sid)}`);
  }

  /** Loads "Mein Konto" and submits the form with this action. */
  async function submitOnAccount(
    browser: Browser,
    action: string,
    fields: Record<string, string>,
    pick = 0,
  ): Promise<Response> {
    const page = parsePage(await (await browser.request('/account/security')).text());
    const form = page.querySelectorAll(`form[action="${action}"]`)[pick];
    assert.ok(form, `Mein Konto has a form for ${action}`);
    const hidden = Object.fromEntries(
      form
        .querySelectorAll('input[type="hidden"]')
        .map((input) => [input.getAttribute('name') ?? '', input.getAttribute('value') ?? '']),
    );
    return browser.post(action, { ...hidden, ...fields });
  }

  async function nextLogoutToken(count: number): Promise<JWTPayload> {
    for (let i = 0; i < 100 && received.length < count; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    const token = received[count - 1];
    assert.ok(token, `logout token number ${count} arrived`);
    const jwks = createRemoteJWKSet(new URL(config.serverMetadata().jwks_uri ?? ''));
    const { payload } = await jwtVerify(token, jwks, { issuer: server.baseUrl, audience: service.clientId });
    return payload;
  }

  test('the logout page tells the service, with the session id and the pseudonym', async () => {
    const browser = new Browser(server.baseUrl);
    const { claims, idToken } = await logIn(browser);
    const logout = await browser.visit(
      client.buildEndSessionUrl(config, {
        id_token_hint: idToken,
        post_logout_redirect_uri: service.postLogoutRedirectUri,
      }),
    );
    const form = readForm(parsePage(await logout.response.text()), 'form[id="op.logoutForm"]');
    await browser.post(form.action, { ...form.fields, logout: 'yes' });
    const payload = await nextLogoutToken(1);
    assert.ok(payload.events && 'http://schemas.openid.net/event/backchannel-logout' in (payload.events as object));
    assert.equal(payload.sub, claims.sub);
    assert.equal(payload.sid, claims.sid);
    assert.equal(payload.nonce, undefined, 'a logout token carries no nonce (§2.4)');
  });

  test('a password reset ends every session and tells the service', async () => {
    const browser = new Browser(server.baseUrl);
    const { claims } = await logIn(browser);
    const other = new Browser(server.baseUrl);
    const form = readForm(
      parsePage(await (await other.request('/forgot-password')).text()),
      'form[action="/forgot-password"]',
    );
    await other.post('/forgot-password', { ...form.fields, identifier: citizen.username });
    const mail = await smtp.waitFor(citizen.email);
    const link = /(https?:\/\/\S+\/reset-password\?token=[A-Za-z0-9_-]+)/.exec(mail.text)?.[1];
    assert.ok(link);
    const reset = readForm(parsePage(await (await other.request(link)).text()), 'form[action="/reset-password"]');
    const done = await other.post('/reset-password', {
      ...reset.fields,
      password: 'Drei Hunde bellen im Garten',
      password2: 'Drei Hunde bellen im Garten',
    });
    assert.equal(done.status, 200);
    const payload = await nextLogoutToken(2);
    assert.equal(payload.sub, claims.sub);
    assert.equal(payload.sid, claims.sid);
  });

  test('a password change on Mein Konto revokes the refresh tokens and tells the service (issue 13, point 7)', async () => {
    const browser = new Browser(server.baseUrl);
    const { claims, refreshToken } = await logIn(browser, changer);
    const changed = await submitOnAccount(browser, '/account/password', {
      current_password: changer.password,
      new_password: 'Drei Hunde bellen im Garten',
    });
    assert.equal(changed.status, 303);
    assert.equal(changed.headers.get('location'), '/account/security');
    const payload = await logoutTokenFor(claims.sid);
    assert.equal(payload.sub, claims.sub);
    await rejectsWithOAuthError(client.refreshTokenGrant(config, refreshToken), 400, 'invalid_grant');
    assert.equal(
      (await browser.request('/account')).status,
      200,
      'the browser that made the change stays logged in here',
    );
  });

  test('blocking a means on Mein Konto revokes the refresh tokens and tells the service (issue 13, point 7)', async () => {
    const browser = new Browser(server.baseUrl);
    const { claims, refreshToken } = await logIn(browser, blocker);
    // The authenticator app, set up in the same browser (the session then reaches the account's maximum).
    const setup = parsePage(await (await browser.request('/account/totp/setup')).text());
    const secret = (setup.querySelector('code.secret')?.text ?? '').replace(/\s/g, '');
    const form = readForm(setup, 'form[action="/account/totp/setup"]');
    const added = await browser.post(form.action, { ...form.fields, code: await generate({ secret }) });
    assert.equal(added.status, 200);
    const blocked = await submitOnAccount(browser, '/account/means/block', {});
    assert.equal(blocked.status, 303);
    const payload = await logoutTokenFor(claims.sid);
    assert.equal(payload.sub, claims.sub);
    await rejectsWithOAuthError(client.refreshTokenGrant(config, refreshToken), 400, 'invalid_grant');
  });
});
