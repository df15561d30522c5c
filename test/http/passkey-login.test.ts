import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { attributeRepository } from '../../src/identity/attribute-repository.ts';
import { Browser, buildTestApp, followRedirects, login, registerVerified, type TestApp } from '../helpers/test-app.ts';
import { createServiceProvider, postedFields, registerServiceProvider } from '../helpers/saml-sp.ts';
import { SoftAuthenticator } from '../helpers/soft-authenticator.ts';
import { xmlsecDecrypt } from '../helpers/xmlsec.ts';

const redirectUri = 'https://service.example/callback';
const secret = 'a-client-secret-of-sufficient-length-123';
const acr = {
  basis: 'urn:servicekonto:loa:basis',
  substantial: 'http://eidas.europa.eu/LoA/substantial',
};
const csrfOf = (body: string) => /name="_csrf" value="([^"]+)"/.exec(body)?.[1] ?? '';

/**
 * Issue 15, point 8: a passkey logs in without the password. The ceremony runs over HTTP with a software
 * authenticator (test/helpers/soft-authenticator.ts) whose signatures the server verifies for real: a passkey with
 * user verification is substanziell on its own (TR-03107-1), capped by the account's data (DESIGN.md §3), at every
 * front door; one without user verification stays a second factor.
 */
describe('passkeys as the login', () => {
  let t: TestApp;
  let origin = '';
  const passkeys = new Map<string, SoftAuthenticator>();

  /** Adds a passkey on "Mein Konto" after a password login, as the citizen would. */
  async function addPasskey(username: string, authenticator: SoftAuthenticator): Promise<Record<string, unknown>> {
    const browser = new Browser(t.fastify);
    await login(browser, username);
    const _csrf = await browser.csrf('/account');
    const options = await browser.post('/account/webauthn/options', { _csrf });
    assert.equal(options.statusCode, 200);
    const json = options.json<{ challenge: string; user: { id: string }; authenticatorSelection: unknown }>();
    const added = await browser.post('/account/webauthn', {
      _csrf,
      key_name: 'Mein Telefon',
      response: JSON.stringify(authenticator.register(json)),
    });
    assert.equal(added.statusCode, 303, added.body.slice(0, 400));
    assert.match((await browser.follow(added)).body, /Der Schlüssel „Mein Telefon“ ist hinzugefügt/);
    return json;
  }

  before(async () => {
    t = await buildTestApp();
    origin = t.app.config.publicUrl;
    await t.app.services.upsertOidc(
      {
        client_id: 'tax',
        client_secret: secret,
        client_name: 'Steuer',
        redirect_uris: [redirectUri],
        token_endpoint_auth_method: 'client_secret_basic',
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
      'Gewerbesteuer Online',
    );
    for (const [username, verified] of [
      ['erika.m', true],
      ['max.m', false],
      ['nora.n', true],
    ] as const) {
      await registerVerified(t, new Browser(t.fastify), username, `${username}@example.org`);
      const id = (await t.app.accounts.byLogin(username))?.id ?? '';
      if (verified)
        await attributeRepository(t.app.db).setVerified(
          id,
          { given_name: 'Erika', family_name: 'Mustermann', birthdate: '1964-08-12' },
          { source: 'clerk', level: 4, at: t.clock.now(), evidence: { document: 'idcard', clerk: 'Meier' } },
        );
    }
    passkeys.set('erika.m', new SoftAuthenticator(origin));
    passkeys.set('max.m', new SoftAuthenticator(origin));
    // A security key without a PIN or fingerprint: a second factor only.
    passkeys.set('nora.n', new SoftAuthenticator(origin, { userVerified: false, discoverable: true }));
  });
  after(() => t.close());

  test('registration asks for a discoverable credential and keeps whether it is one', async () => {
    const options = await addPasskey('erika.m', passkeys.get('erika.m') as SoftAuthenticator);
    assert.deepEqual(options.authenticatorSelection, {
      residentKey: 'preferred',
      userVerification: 'preferred',
      requireResidentKey: false,
    });
    const stored = await t.app.db.query<{ public_data: { discoverable?: boolean } }>(
      "SELECT public_data FROM authentication_means WHERE kind = 'webauthn' AND display_name = 'Mein Telefon' LIMIT 1",
    );
    assert.equal(stored.rows[0]?.public_data.discoverable, true);
    await addPasskey('max.m', passkeys.get('max.m') as SoftAuthenticator);
    await addPasskey('nora.n', passkeys.get('nora.n') as SoftAuthenticator);
  });

  test('the password page offers the passkey in the username field’s autofill and by a button, hidden without a script', async () => {
    const page = await new Browser(t.fastify).get('/login/password');
    assert.match(page.body, /autocomplete="username webauthn"/);
    assert.match(page.body, /<section aria-labelledby="passkey-or" data-passkey-section hidden>/);
    assert.match(
      page.body,
      /<form method="post" action="\/login\/passkey"[^>]* data-options="\/login\/passkey\/options"[^>]* data-autofill/,
    );
    assert.match(page.body, /<script src="\/static\/passkey-login\.[0-9a-f]{10}\.js"><\/script>/);
    assert.doesNotMatch(page.body, /<script>/, 'no inline script (CSP)');
    const choice = await new Browser(t.fastify).get('/login');
    assert.match(choice.body, /href="\/login\/passkey">Mit Passkey anmelden/);
    const script = await new Browser(t.fastify).get('/static/passkey-login.js');
    assert.equal(script.statusCode, 200);
    assert.match(script.body, /useBrowserAutofill: true/);
  });

  test('OIDC with only a passkey: acr substantial, amr hwk mfa; the same answer cannot be used twice', async () => {
    const browser = new Browser(t.fastify);
    const verifier = randomBytes(32).toString('base64url');
    const query = new URLSearchParams({
      client_id: 'tax',
      redirect_uri: redirectUri,
      response_type: 'code',
      scope: 'openid profile',
      state: 's',
      acr_values: acr.substantial,
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    });
    const choice = await followRedirects(browser, `/oidc/auth?${query}`);
    const base = /^(\/interaction\/[^/]+)$/.exec(choice.finalUrl)?.[1] ?? '';
    assert.ok(base, choice.finalUrl);
    assert.match(choice.body, new RegExp(`href="${base}/passkey"`));
    const page = await browser.get(`${base}/passkey`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Anmeldung für „Gewerbesteuer Online“/);
    const _csrf = csrfOf(page.body);
    const options = await browser.post(`${base}/passkey/options`, { _csrf });
    assert.equal(options.headers['cache-control'], 'no-store');
    const json = options.json<{ challenge: string; userVerification: string; allowCredentials?: unknown[] }>();
    assert.equal(json.userVerification, 'required');
    assert.equal(json.allowCredentials, undefined, 'no list: the authenticator offers its own (discoverable)');
    const answer = JSON.stringify((passkeys.get('erika.m') as SoftAuthenticator).assert(json));
    const done = await browser.post(`${base}/passkey`, { _csrf, response: answer });
    assert.equal(done.statusCode, 303, done.body.slice(0, 500));
    const consent = await followRedirects(browser, String(done.headers.location));
    const consentAction = /action="(\/interaction\/[^"]+\/consent)"/.exec(consent.body)?.[1] ?? '';
    assert.ok(consentAction, 'no second factor asked for: the passkey is both; on to the consent');
    const granted = await browser.post(consentAction, { _csrf: csrfOf(consent.body) });
    const next = new URL(String(granted.headers.location), origin);
    const callback = await followRedirects(browser, `${next.pathname}${next.search}`);
    const claims = await idTokenClaims(new URL(callback.finalUrl).searchParams.get('code') ?? '', verifier);
    assert.equal(claims.acr, acr.substantial);
    assert.deepEqual(claims.amr, ['hwk', 'mfa']);

    // Next time, with the consent given, the passkey leads straight back to the service.
    const again = new Browser(t.fastify);
    const next2 = await followRedirects(again, `/oidc/auth?${query}`);
    const base2 = /^(\/interaction\/[^/]+)$/.exec(next2.finalUrl)?.[1] ?? '';
    const back = await passkeyLogin(again, base2, passkeys.get('erika.m') as SoftAuthenticator);
    assert.equal(back.statusCode, 303);
    const service = await followRedirects(again, String(back.headers.location));
    assert.ok(service.finalUrl.startsWith(`${redirectUri}?code=`), service.finalUrl);

    // Replayed, even in another browser and login: the challenge was used.
    const other = new Browser(t.fastify);
    const otherCsrf = await other.csrf('/login/passkey');
    const replay = await other.post('/login/passkey', { _csrf: otherCsrf, response: answer });
    assert.equal(replay.statusCode, 400);
    assert.match(replay.body, /Die Anmeldung mit dem Passkey hat nicht geklappt/);
  });

  test('the level is capped by the account’s data: self-entered data give Basisregistrierung', async () => {
    const browser = new Browser(t.fastify);
    const done = await passkeyLogin(browser, '/login', passkeys.get('max.m') as SoftAuthenticator);
    assert.equal(done.statusCode, 303);
    assert.equal(done.headers.location, '/account', '"Mein Konto" opens fully: the passkey is two factors');
    const session = await latestSession('max.m');
    assert.deepEqual(session, { level: 1, means_level: 3, amr: ['hwk', 'mfa'], method: 'passkey' });
    assert.equal((await browser.get('/account')).statusCode, 200);
  });

  test('without user verification the key is refused here, and still works as the second factor', async () => {
    const nora = passkeys.get('nora.n') as SoftAuthenticator;
    const refused = await passkeyLogin(new Browser(t.fastify), '/login', nora);
    assert.equal(refused.statusCode, 400);
    assert.equal((await latestSession('nora.n'))?.method, 'password', 'no passkey session began');

    const browser = new Browser(t.fastify);
    await login(browser, 'nora.n');
    const page = await browser.get('/account/confirm/webauthn');
    const _csrf = csrfOf(page.body);
    const options = (await browser.post('/account/confirm/webauthn/options', { _csrf })).json<{ challenge: string }>();
    const confirmed = await browser.post('/account/confirm/webauthn', {
      _csrf,
      response: JSON.stringify(nora.assert(options)),
    });
    assert.equal(confirmed.statusCode, 303);
    assert.deepEqual(await latestSession('nora.n'), {
      level: 3,
      means_level: 3,
      amr: ['pwd', 'hwk', 'mfa'],
      method: 'password',
    });
  });

  test('a locked account, a blocked key or a forged answer do not log in', async () => {
    const erika = passkeys.get('erika.m') as SoftAuthenticator;
    await t.app.db.query("UPDATE accounts SET state = 'locked' WHERE username = 'erika.m'");
    assert.equal((await passkeyLogin(new Browser(t.fastify), '/login', erika)).statusCode, 400);
    await t.app.db.query("UPDATE accounts SET state = 'active' WHERE username = 'erika.m'");

    const browser = new Browser(t.fastify);
    const _csrf = await browser.csrf('/login/passkey');
    const options = (await browser.post('/login/passkey/options', { _csrf })).json<{ challenge: string }>();
    const forged = erika.assert({ challenge: randomBytes(54).toString('base64url') });
    assert.equal((await browser.post('/login/passkey', { _csrf, response: JSON.stringify(forged) })).statusCode, 400);
    assert.equal((await browser.post('/login/passkey', { _csrf, response: 'nonsense' })).statusCode, 400);
    const expired = erika.assert(options);
    t.clock.advance(11 * 60 * 1000);
    assert.equal((await browser.post('/login/passkey', { _csrf, response: JSON.stringify(expired) })).statusCode, 400);
    t.clock.advance(-11 * 60 * 1000);

    await t.app.db.query(
      "UPDATE authentication_means SET blocked_at = now() WHERE kind = 'webauthn' AND account_id = (SELECT id FROM accounts WHERE username = 'erika.m')",
    );
    assert.equal((await passkeyLogin(new Browser(t.fastify), '/login', erika)).statusCode, 400);
    await t.app.db.query(
      "UPDATE authentication_means SET blocked_at = NULL WHERE kind = 'webauthn' AND account_id = (SELECT id FROM accounts WHERE username = 'erika.m')",
    );
  });

  test('SAML: a service allowing "Benutzername" gets a passkey login at STORK-QAA-Level-3', async () => {
    // The service signs its request at the real time: the test clock catches up (SAML IssueInstant window).
    t.clock.advance(Date.now() - t.clock.now().getTime());
    const provider = await createServiceProvider(t.app, { authnContext: ['STORK-QAA-Level-3'] });
    await registerServiceProvider(t.app, provider);
    const browser = new Browser(t.fastify);
    const url = new URL(await provider.sp.getAuthorizeUrlAsync('r1', undefined, {}));
    const choice = await followRedirects(browser, `${url.pathname}${url.search}`);
    const base = /^(\/saml\/login\/[^/]+)$/.exec(choice.finalUrl)?.[1] ?? '';
    assert.ok(base, choice.finalUrl);
    const done = await passkeyLogin(browser, base, passkeys.get('erika.m') as SoftAuthenticator);
    assert.equal(done.statusCode, 303);
    const consent = await followRedirects(browser, String(done.headers.location));
    const answered = await browser.post(`${base}/consent`, { _csrf: csrfOf(consent.body) });
    const posted =
      answered.statusCode === 303 ? await followRedirects(browser, String(answered.headers.location)) : answered;
    const fields = postedFields(posted.body);
    const { profile } = await provider.sp.validatePostResponseAsync({ SAMLResponse: fields.SAMLResponse });
    assert.ok(profile);
    const xml = await xmlsecDecrypt(
      Buffer.from(fields.SAMLResponse, 'base64').toString('utf8'),
      provider.encryption.privateKeyPem,
    );
    assert.match(xml, /<saml:AuthnContextClassRef>STORK-QAA-Level-3<\/saml:AuthnContextClassRef>/);
  });

  /** The passkey page of a login, a challenge, the authenticator's answer, posted. */
  async function passkeyLogin(browser: Browser, base: string, authenticator: SoftAuthenticator) {
    const _csrf = csrfOf((await browser.get(`${base}/passkey`)).body);
    const options = (await browser.post(`${base}/passkey/options`, { _csrf })).json<{ challenge: string }>();
    return browser.post(`${base}/passkey`, { _csrf, response: JSON.stringify(authenticator.assert(options)) });
  }

  async function latestSession(username: string) {
    return (
      await t.app.db.query<{ level: number; means_level: number; amr: string[]; method: string }>(
        `SELECT level, means_level, amr, method FROM sso_sessions
         WHERE account_id = (SELECT id FROM accounts WHERE username = $1)
         ORDER BY created_at DESC LIMIT 1`,
        [username],
      )
    ).rows[0];
  }

  async function idTokenClaims(code: string, verifier: string): Promise<Record<string, unknown>> {
    const response = await t.fastify.inject({
      method: 'POST',
      url: '/oidc/token',
      payload: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: redirectUri,
        code_verifier: verifier,
      }).toString(),
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`tax:${secret}`).toString('base64')}`,
      },
    });
    assert.equal(response.statusCode, 200, response.body);
    return JSON.parse(
      Buffer.from(response.json<{ id_token: string }>().id_token.split('.')[1] ?? '', 'base64url').toString(),
    ) as Record<string, unknown>;
  }
});
