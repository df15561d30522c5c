import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config/load.ts';
import type { AppContext } from '../../src/context.ts';
import { stepUpHead } from '../../src/flows/step-up/page.ts';
import { raiseSession } from '../../src/flows/step-up/raise.ts';
import type { AuthenticationMethod } from '../../src/methods/method.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import type { Database } from '../../src/platform/db/database.ts';
import { migratedDatabase } from '../helpers/db-template.ts';
import { readForm } from '../../src/platform/http/forms.ts';
import { button, csrfField } from '../../src/web/components.ts';
import { html } from '../../src/web/html.ts';
import { pageContext, sendPage } from '../../src/web/page.ts';
import { attributeRepository } from '../../src/identity/attribute-repository.ts';
import {
  Browser,
  followRedirects,
  login,
  registerVerified,
  type FollowedPage,
  type TestApp,
} from '../helpers/test-app.ts';
import { createServiceProvider, postedFields, registerServiceProvider } from '../helpers/saml-sp.ts';
import { xmlsecDecrypt } from '../helpers/xmlsec.ts';

/**
 * A one-time-code factor defined here and nowhere else: the code is fixed
 * and stored as the means' secret. It proves that adding a method adds a
 * registry line, not edits across the tree (issue 14, "How it is judged").
 */
const fixedCode: AuthenticationMethod = {
  id: 'fixed-code',
  kinds: ['fixed-code'],
  factor: 'second',
  amr: ['otp'],
  level: 3,
  title: 'method.fixed-code.title',
  available: true,
  // Its texts come with it: no edit to the catalogue (text/index.ts `loadMethodTexts`).
  texts: { 'method.fixed-code.title': { de: 'Fester Code', en: 'Fixed code' } },
  stepUpRoutes: (app, scope) => async (fastify) => {
    fastify.get<{ Params: { uid?: string } }>(`${scope.prefix}/fixed-code`, async (request, reply) => {
      const state = await scope.load(request, reply);
      const p = pageContext(app, request, reply);
      const body = html`${stepUpHead(p, state)}<h2>${p.t('method.fixed-code.title')}</h2><form method="post" action="${state.base}/fixed-code">${csrfField(p.csrfToken)}<input name="code">${button('OK')}</form>`;
      return sendPage(reply, p, p.t('method.fixed-code.title'), body);
    });
    fastify.post<{ Params: { uid?: string } }>(`${scope.prefix}/fixed-code`, async (request, reply) => {
      // The CSRF token was checked by the route options hook, as for every POST.
      const form = readForm(request.body);
      const state = await scope.load(request, reply);
      const row = await app.db.query<{ level: 3 }>(
        "SELECT level FROM authentication_means WHERE account_id = $1 AND kind = 'fixed-code' AND secret = $2",
        [state.session.accountId, form.code ?? ''],
      );
      if (!row.rows[0]) return reply.code(400).send('wrong');
      return state.done(await raiseSession(app, request, reply, state.session, ['otp'], row.rows[0].level));
    });
  },
};

let t: TestApp;
let db: Database;
let app: AppContext;
let fastify: FastifyInstance;

before(async () => {
  const { config } = loadConfig({
    LOG_LEVEL: 'silent',
    ARGON2_MEMORY_KIB: '1024',
    ARGON2_TIME_COST: '1',
    START_EXAMPLE: 'false',
  });
  db = await migratedDatabase();
  const clock = fixedClock(new Date());
  const mails: TestApp['mails'] = [];
  ({ fastify, app } = await buildApp({
    config,
    db,
    clock,
    mailTransport: { send: async (m) => void mails.push(m), close: () => undefined },
    methods: (list) => [...list, fixedCode],
  }));
  await fastify.ready();
  t = {
    fastify,
    app,
    clock,
    mails,
    close: async () => {
      await fastify.close();
      await db.close();
    },
  };
});
after(() => t.close());

test('a method registered by one line is counted as a second factor and confirms "Mein Konto" through its own step-up page', async () => {
  const browser = new Browser(fastify);
  await registerVerified(t, browser, 'erika.m', 'erika@example.org');
  const accountId = (await app.accounts.byLogin('erika.m'))?.id ?? '';
  await db.query(
    "INSERT INTO authentication_means (account_id, kind, secret, level) VALUES ($1, 'fixed-code', '424242', 3)",
    [accountId],
  );
  await login(browser, 'erika.m');
  const start = await browser.get('/account/confirm?return=/account');
  assert.equal(start.statusCode, 303);
  assert.equal(start.headers.location, '/account/confirm/fixed-code', 'the only second factor is the new one');
  assert.match((await browser.get('/account/confirm/fixed-code')).body, /Fester Code/, 'its own text, brought with it');
  const _csrf = await browser.csrf('/account/confirm/fixed-code');
  assert.equal((await browser.post('/account/confirm/fixed-code', { _csrf, code: '000000' })).statusCode, 400);
  const done = await browser.post('/account/confirm/fixed-code', { _csrf, code: '424242' });
  assert.equal(done.statusCode, 303);
  assert.equal(done.headers.location, '/account', 'back to where the citizen was going');
  const sessions = await db.query<{ amr: string[] }>('SELECT amr FROM sso_sessions WHERE account_id = $1', [accountId]);
  assert.ok(
    sessions.rows.some((r) => r.amr.includes('mfa') && r.amr.includes('otp')),
    'the session now has both factors (RFC 8176 mfa)',
  );
  const account = await followRedirects(browser, '/account');
  assert.equal(account.statusCode, 200);
});

const csrfOf = (body: string) => /name="_csrf" value="([^"]+)"/.exec(body)?.[1] ?? '';

/** Types the fixed code on the method's own page wherever a login sent the citizen, and follows on. */
async function typeFixedCode(browser: Browser, page: FollowedPage): Promise<FollowedPage> {
  assert.match(page.finalUrl, /\/fixed-code$/, 'the login asks the only second factor, the new one');
  const posted = await browser.post(page.finalUrl, { _csrf: csrfOf(page.body), code: '424242' });
  assert.equal(posted.statusCode, 303);
  const location = new URL(String(posted.headers.location), 'http://localhost:3000');
  if (location.origin !== 'http://localhost:3000') return Object.assign(posted, { finalUrl: location.href });
  return followRedirects(browser, `${location.pathname}${location.search}`);
}

/** Gives consent where the login asks for it. */
async function consent(browser: Browser, page: FollowedPage): Promise<FollowedPage> {
  const action = /action="(\/[^"]+\/consent)"/.exec(page.body)?.[1];
  if (!action) return page;
  const posted = await browser.post(action, { _csrf: csrfOf(page.body) });
  const location = new URL(String(posted.headers.location ?? ''), 'http://localhost:3000');
  if (posted.statusCode !== 303) return Object.assign(posted, { finalUrl: action });
  if (location.origin !== 'http://localhost:3000') return Object.assign(posted, { finalUrl: location.href });
  return followRedirects(browser, `${location.pathname}${location.search}`);
}

test('the same method steps an OIDC login up to substanziell; acr and amr in the ID token are what it declares', async () => {
  const accountId = (await app.accounts.byLogin('erika.m'))?.id ?? '';
  // substanziell needs identity data checked at that level too (DESIGN.md §3).
  await attributeRepository(db).setVerified(
    accountId,
    { given_name: 'Erika', family_name: 'Mustermann', birthdate: '1964-08-12' },
    { source: 'clerk', level: 4, at: t.clock.now(), evidence: { document: 'idcard', clerk: 'Meier' } },
  );
  const redirectUri = 'https://service.example/callback';
  const secret = 'a-client-secret-of-sufficient-length-123';
  await app.services.upsertOidc(
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
  const browser = new Browser(fastify);
  await login(browser, 'erika.m');
  const verifier = randomBytes(32).toString('base64url');
  const query = new URLSearchParams({
    client_id: 'tax',
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: 'openid',
    state: 's',
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    acr_values: 'http://eidas.europa.eu/LoA/substantial',
  });
  const page = await followRedirects(browser, `/oidc/auth?${query}`);
  assert.match(page.finalUrl, /^\/interaction\/[^/]+\/fixed-code$/);
  const done = await consent(browser, await typeFixedCode(browser, page));
  const code = new URL(done.finalUrl).searchParams.get('code') ?? '';
  assert.ok(code, `back at the service with a code: ${done.finalUrl}`);
  const token = await fastify.inject({
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
  assert.equal(token.statusCode, 200, token.body);
  const claims = JSON.parse(
    Buffer.from(token.json<{ id_token: string }>().id_token.split('.')[1] ?? '', 'base64url').toString(),
  ) as Record<string, unknown>;
  assert.equal(claims.acr, 'http://eidas.europa.eu/LoA/substantial', 'the level the method declares (3)');
  assert.deepEqual(claims.amr, ['pwd', ...fixedCode.amr, 'mfa'], 'its amr values (RFC 8176) next to the password');
});

test('the same method steps a SAML login up to STORK-QAA-Level-3; the assertion says so', async () => {
  const sp = await createServiceProvider(app, {
    entityId: 'https://steuer.example/saml',
    authnContext: ['STORK-QAA-Level-3'],
  } as never);
  const mfa = 'urn:oid:1.3.6.1.4.1.25484.494450.7';
  await registerServiceProvider(app, sp, { attributes: ['urn:oid:2.5.4.42', mfa] });
  const browser = new Browser(fastify);
  // The service signs its request at the real time: the test clock catches up (SAML IssueInstant window), however
  // long the file ran before on a loaded machine.
  t.clock.advance(Date.now() - t.clock.now().getTime());
  await login(browser, 'erika.m');
  const start = new URL(await sp.sp.getAuthorizeUrlAsync('r', undefined, {}));
  const page = await followRedirects(browser, `${start.pathname}${start.search}`);
  assert.match(page.finalUrl, /^\/saml\/login\/s_[^/]+\/fixed-code$/);
  const done = await consent(browser, await typeFixedCode(browser, page));
  const { SAMLResponse } = postedFields(done.body);
  const { profile } = await sp.sp.validatePostResponseAsync({ SAMLResponse });
  assert.equal(profile?.[mfa], 'true', 'the session used a second factor (RFC 8176 mfa)');
  const decrypted = await xmlsecDecrypt(
    Buffer.from(SAMLResponse, 'base64').toString('utf8'),
    sp.encryption.privateKeyPem,
  );
  assert.match(
    decrypted,
    /<saml:AuthnContextClassRef>STORK-QAA-Level-3<\/saml:AuthnContextClassRef>/,
    'the level the method declares',
  );
});
