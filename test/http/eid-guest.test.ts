// Guest login (design notes §6): a service that allows it gets a one-time eID login without an account. Only
// the data it asked for are read (no RestrictedID), the citizen sees them before they go, and nothing stays:
// no account, no SSO session or cookie, no consent record, no pseudonym (a new `sub` or NameID every time).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { commands } from '../../src/cli/commands.ts';
import { loadConfig } from '../../src/config/load.ts';
import { serviceRepository } from '../../src/services/service-repository.ts';
import { migratedDatabase } from '../helpers/db-template.ts';
import { readCardAt } from '../helpers/eid-card.ts';
import { formFields } from '../helpers/saml-browser.ts';
import { createServiceProvider, postedFields, registerServiceProvider } from '../helpers/saml-sp.ts';
import { xmlsecDecrypt } from '../helpers/xmlsec.ts';
import { Browser, buildTestApp, followRedirects, login, registerVerified, type TestApp } from '../helpers/test-app.ts';

const redirectUri = 'https://service.example/callback';
const secret = 'a-client-secret-of-sufficient-length-123';
const urn = {
  givenName: 'urn:oid:2.5.4.42',
  familyName: 'urn:oid:2.5.4.4',
  assertionProvedBy: 'urn:oid:1.3.6.1.4.1.25484.494450.2',
  bpk2: 'urn:oid:1.3.6.1.4.1.25484.494450.3',
  postbox: 'urn:oid:2.5.4.18',
};

const local = (url: string) => {
  const parsed = new URL(url, 'http://localhost:3000');
  return `${parsed.pathname}${parsed.search}`;
};

async function addClient(t: TestApp, id: string, guest: boolean): Promise<void> {
  await t.app.services.upsertOidc(
    {
      client_id: id,
      client_secret: secret,
      client_name: id,
      redirect_uris: [redirectUri],
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      ...(guest && { guest_login: true }),
    },
    'Hundesteuer Online',
    'Stadt Musterstadt',
  );
}

async function authorize(browser: Browser, clientId: string, scope: string) {
  const verifier = randomBytes(32).toString('base64url');
  const query = new URLSearchParams({
    client_id: clientId,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope,
    state: 's',
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  });
  return { verifier, page: await followRedirects(browser, `/oidc/auth?${query}`) };
}

async function consent(browser: Browser, page: LightMyRequestResponse): Promise<LightMyRequestResponse> {
  const form = /<form method="post" action="([^"]+\/guest\/consent)">[\s\S]*?<\/form>/.exec(page.body);
  assert.ok(form?.[1], `a guest consent form: ${page.body.slice(0, 300)}`);
  return browser.post(form[1], formFields(form[0]));
}

async function tokens(t: TestApp, clientId: string, code: string, verifier: string) {
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
      authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`,
    },
  });
  assert.equal(response.statusCode, 200, response.body);
  return response.json<{ id_token: string; access_token: string; refresh_token?: string }>();
}

const payloadOf = (jwt: string) =>
  JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;
const count = async (t: TestApp, table: string) =>
  (await t.app.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]?.n;

/** One OIDC guest login, from the authorization request to the tokens. */
async function guestLogin(t: TestApp, clientId: string, scope = 'openid profile', browser = new Browser(t.fastify)) {
  const { verifier, page } = await authorize(browser, clientId, scope);
  const guestHref = /href="(\/interaction\/[^/"]+\/guest\/eid)"/.exec(page.body)?.[1];
  assert.ok(guestHref, 'the login page offers the guest login');
  assert.match(page.body, /Ohne Konto mit Online-Ausweis fortfahren/);
  const shown = await readCardAt(browser, guestHref, 'erika');
  assert.equal(shown.statusCode, 200, shown.body);
  const posted = await consent(browser, shown);
  assert.equal(posted.statusCode, 303, posted.body);
  const done = await followRedirects(browser, local(String(posted.headers.location)));
  const code = new URL(done.finalUrl).searchParams.get('code');
  assert.ok(code, `back at the service with a code: ${done.finalUrl}`);
  return { browser, shown, tokens: await tokens(t, clientId, code, verifier) };
}

test('OIDC guest login: acr high, the card data at userinfo, a new sub each time, no refresh token, nothing stored', async () => {
  const t = await buildTestApp();
  await addClient(t, 'dogs', true);
  const first = await guestLogin(t, 'dogs', 'openid profile');
  // The citizen saw exactly what goes, and that no account is made.
  assert.match(first.shown.body, /Hundesteuer Online/);
  assert.match(first.shown.body, /Erika/);
  assert.match(first.shown.body, /Mustermann/);
  assert.match(first.shown.body, /kein Servicekonto angelegt/);

  const id = payloadOf(first.tokens.id_token);
  assert.equal(id.acr, 'http://eidas.europa.eu/LoA/high');
  assert.deepEqual(id.amr, ['sc', 'pin', 'mfa']);
  assert.equal(first.tokens.refresh_token, undefined, 'no refresh token for a guest');
  const userinfo = await t.fastify.inject({
    method: 'GET',
    url: '/oidc/userinfo',
    headers: { authorization: `Bearer ${first.tokens.access_token}` },
  });
  assert.equal(userinfo.statusCode, 200, userinfo.body);
  const claims = userinfo.json<Record<string, unknown>>();
  assert.equal(claims.given_name, 'Erika');
  assert.equal(claims.family_name, 'Mustermann');
  assert.equal(claims.birthdate, '1964-08-12');
  assert.equal(claims.address, undefined, 'the address was not asked for');
  assert.equal(claims.email, undefined);
  assert.equal(claims.sub, id.sub);

  // Again in the same browser (no account-switch logout page on the way): another sub.
  const second = await guestLogin(t, 'dogs', 'openid profile', first.browser);
  assert.notEqual(payloadOf(second.tokens.id_token).sub, id.sub, 'the sub is one-time, no pseudonym');
  const third = await guestLogin(t, 'dogs', 'openid profile');
  assert.notEqual(payloadOf(third.tokens.id_token).sub, payloadOf(second.tokens.id_token).sub);

  for (const table of ['accounts', 'sso_sessions', 'consents', 'session_participations', 'eid_links'])
    assert.equal(await count(t, table), 0, table);
  assert.equal(first.browser.cookies.has(t.app.cookies.session), false, 'no SSO cookie');
  // What was read: only the profile's data groups, never the RestrictedID.
  const requests = await t.app.db.query<{ request: { useOperations: Record<string, string> } }>(
    "SELECT request FROM eid_transactions WHERE purpose = 'guest'",
  );
  for (const { request } of requests.rows) {
    assert.equal(request.useOperations.RestrictedID, 'PROHIBITED');
    assert.equal(request.useOperations.PlaceOfResidence, undefined);
    assert.equal(request.useOperations.GivenNames, 'REQUIRED');
  }
  // A later request of the same browser is a new login, not single sign-on.
  const again = await authorize(first.browser, 'dogs', 'openid profile');
  assert.match(again.page.finalUrl, /^\/interaction\/[^/]+$/);
  // The claims and the tokens end 10 minutes after the consent.
  t.clock.advance(11 * 60 * 1000);
  const late = await t.fastify.inject({
    method: 'GET',
    url: '/oidc/userinfo',
    headers: { authorization: `Bearer ${first.tokens.access_token}` },
  });
  assert.notEqual(late.statusCode, 200);
  const kept = await t.app.db.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM oidc_payloads WHERE model = 'GuestClaims' AND expires_at > $1",
    [t.clock.now()],
  );
  assert.equal(kept.rows[0]?.n, 0, 'the sealed claims expired');
  await t.close();
});

test('OIDC guest: the address scope reads the address; the consent form counts once and only in its browser', async () => {
  const t = await buildTestApp();
  await addClient(t, 'dogs', true);
  const browser = new Browser(t.fastify);
  const { page } = await authorize(browser, 'dogs', 'openid address');
  const guestHref = /href="(\/interaction\/[^/"]+\/guest\/eid)"/.exec(page.body)?.[1] ?? '';
  const shown = await readCardAt(browser, guestHref, 'erika');
  assert.match(shown.body, /Heidestraße 17/);
  assert.doesNotMatch(shown.body, /Erika/, 'names were not asked for');
  const form = /<form method="post" action="([^"]+\/guest\/consent)">[\s\S]*?<\/form>/.exec(shown.body);
  assert.ok(form?.[1]);
  // Another browser with the same fields gets nowhere (it has not even the interaction).
  const other = new Browser(t.fastify);
  const _csrf = await other.csrf('/forgot-password');
  assert.notEqual((await other.post(form[1], { ...formFields(form[0]), _csrf })).statusCode, 303);
  assert.equal((await consent(browser, shown)).statusCode, 303);
  assert.notEqual((await consent(browser, shown)).statusCode, 303, 'the reading was used');
  await t.close();
});

test('a service without the guest flag does not offer it, and its guest routes do not exist', async () => {
  const t = await buildTestApp();
  await addClient(t, 'plain', false);
  const browser = new Browser(t.fastify);
  const { page } = await authorize(browser, 'plain', 'openid profile');
  assert.match(page.finalUrl, /^\/interaction\/[^/]+$/);
  assert.doesNotMatch(page.body, /\/guest\/eid/);
  assert.equal((await browser.get(`${page.finalUrl}/guest/eid`)).statusCode, 404);
  assert.equal(
    (
      await browser.post(`${page.finalUrl}/guest/consent`, {
        _csrf: /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '',
      })
    ).statusCode,
    404,
  );
  await t.close();
});

test('SAML guest login: transient NameID, the card attributes, no bPK2, no postbox, no session participation', async () => {
  const t = await buildTestApp();
  const sp = await createServiceProvider(t.app, { entityId: 'https://dogs.example/saml' });
  await registerServiceProvider(t.app, sp, {
    attributes: [urn.givenName, urn.familyName, urn.assertionProvedBy],
    guestLogin: true,
  });
  const browser = new Browser(t.fastify);
  const choice = await followRedirects(browser, local(await sp.sp.getAuthorizeUrlAsync('r', undefined, {})));
  const guestHref = /href="(\/saml\/login\/[^/"]+\/guest\/eid)"/.exec(choice.body)?.[1];
  assert.ok(guestHref, 'the guest login is offered');
  const shown = await readCardAt(browser, guestHref, 'erika');
  assert.equal(shown.statusCode, 200, shown.body);
  assert.match(shown.body, /Mustermann/);
  const posted = await consent(browser, shown);
  assert.equal(posted.statusCode, 200, posted.body);
  const fields = postedFields(posted.body);
  assert.equal(fields.RelayState, 'r');
  const { profile } = await sp.sp.validatePostResponseAsync({ SAMLResponse: fields.SAMLResponse });
  assert.ok(profile);
  assert.equal(profile.nameIDFormat, 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient');
  assert.equal(profile[urn.givenName], 'Erika');
  assert.equal(profile[urn.familyName], 'Mustermann');
  assert.equal(profile[urn.assertionProvedBy], 'eID');
  assert.equal(profile[urn.bpk2], undefined);
  assert.equal(profile[urn.postbox], undefined);
  const assertion = await xmlsecDecrypt(
    Buffer.from(fields.SAMLResponse, 'base64').toString('utf8'),
    sp.encryption.privateKeyPem,
  );
  assert.match(assertion, />STORK-QAA-Level-4</);
  assert.doesNotMatch(assertion, /494450\.3|2\.5\.4\.18/);
  for (const table of ['accounts', 'sso_sessions', 'consents', 'session_participations'])
    assert.equal(await count(t, table), 0, table);
  await t.close();
});

test('SAML: a request for the bPK2 hides the guest login even where the service allows it', async () => {
  const t = await buildTestApp();
  const sp = await createServiceProvider(t.app, { entityId: 'https://cats.example/saml' });
  await registerServiceProvider(t.app, sp, { attributes: [urn.givenName, urn.bpk2], guestLogin: true });
  const browser = new Browser(t.fastify);
  const choice = await followRedirects(browser, local(await sp.sp.getAuthorizeUrlAsync('r', undefined, {})));
  assert.match(choice.finalUrl, /^\/saml\/login\/s_[^/]+$/);
  assert.doesNotMatch(choice.body, /\/guest\/eid/);
  assert.equal((await browser.get(`${choice.finalUrl}/guest/eid`)).statusCode, 404);
  await t.close();
});

test('client add --guest and sp add --guest turn the guest login on', async () => {
  const { config } = loadConfig({ LOG_LEVEL: 'silent', START_EXAMPLE: 'false' });
  const db = await migratedDatabase();
  const dir = mkdtempSync(join(tmpdir(), 'sk-guest-'));
  const quiet = { out: () => undefined, err: () => undefined };
  try {
    const client = commands['client add'];
    assert.ok(client);
    await client.run(
      db,
      client.parse(['--id', 'dogs', '--redirect-uri', 'https://dogs.example/cb', '--guest']),
      config,
      quiet,
    );
    await client.run(db, client.parse(['--id', 'cats', '--redirect-uri', 'https://cats.example/cb']), config, quiet);
    const services = serviceRepository(db);
    assert.equal((await services.byId('dogs'))?.guestLogin, true);
    assert.equal((await services.byId('cats'))?.guestLogin, false);

    const t = await buildTestApp();
    // The test SPs' ACS is on service.example: the entityID is on the same host, as `sp add` wants for the sector.
    const sp = await createServiceProvider(t.app, { entityId: 'https://service.example/birds' });
    await t.close();
    const file = join(dir, 'sp.xml');
    writeFileSync(file, sp.metadata);
    const spAdd = commands['sp add'];
    assert.ok(spAdd);
    await spAdd.run(db, spAdd.parse(['--metadata', file, '--guest']), config, quiet);
    assert.equal((await services.byId('https://service.example/birds'))?.guestLogin, true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await db.close();
  }
});

test('a citizen logged in in this browser is not offered the guest login; after the SSO session ended, the guest gets through', async () => {
  const t = await buildTestApp();
  await addClient(t, 'dogs', true);
  await addClient(t, 'tax', false);
  const browser = new Browser(t.fastify);
  await registerVerified(t, browser, 'jonas.b', 'jonas@example.org');
  assert.equal((await login(browser, 'jonas.b')).statusCode, 303);
  // Jonas uses another service first, so oidc-provider's session names his account.
  const taxLogin = await authorize(browser, 'tax', 'openid');
  const taxConsent = /<form method="post" action="(\/interaction\/[^"]+\/consent)">/.exec(taxLogin.page.body)?.[1];
  assert.ok(taxConsent);
  await followRedirects(
    browser,
    local(
      String(
        (await browser.post(taxConsent, { _csrf: /name="_csrf" value="([^"]+)"/.exec(taxLogin.page.body)?.[1] ?? '' }))
          .headers.location,
      ),
    ),
  );

  const verifier = randomBytes(32).toString('base64url');
  const query = new URLSearchParams({
    client_id: 'dogs',
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: 'openid profile',
    state: 's',
    prompt: 'login',
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  });
  const loggedIn = await followRedirects(browser, `/oidc/auth?${query}`);
  assert.match(loggedIn.finalUrl, /^\/interaction\/[^/]+$/);
  assert.doesNotMatch(loggedIn.body, /guest\/eid/, "no guest login over a citizen's login");
  assert.equal((await browser.get(`${loggedIn.finalUrl}/guest/eid`)).statusCode, 404);

  // Jonas's SSO session ends (e.g. it expired); the provider still remembers his login in this browser.
  await t.app.db.query('DELETE FROM sso_sessions');
  const page = await followRedirects(browser, `/oidc/auth?${query}`);
  const guestHref = /href="(\/interaction\/[^/"]+\/guest\/eid)"/.exec(page.body)?.[1];
  assert.ok(guestHref, `the login page offers the guest login: ${page.finalUrl}`);
  const shown = await readCardAt(browser, guestHref, 'erika');
  assert.equal(shown.statusCode, 200, shown.body);
  const posted = await consent(browser, shown);
  assert.equal(posted.statusCode, 303, posted.body);
  const done = await followRedirects(browser, local(String(posted.headers.location)));
  const code = new URL(done.finalUrl, 'http://localhost:3000').searchParams.get('code');
  assert.ok(code, `back at the service with a code, not on the account-switch form: ${done.finalUrl}`);
  assert.equal(payloadOf((await tokens(t, 'dogs', code, verifier)).id_token).acr, 'http://eidas.europa.eu/LoA/high');
  await t.close();
});
