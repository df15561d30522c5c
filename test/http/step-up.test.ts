import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { generate } from 'otplib';
import { attributeRepository } from '../../src/identity/attribute-repository.ts';
import { Browser, buildTestApp, followRedirects, login, registerVerified, type TestApp } from '../helpers/test-app.ts';

const redirectUri = 'https://service.example/callback';
const secret = 'a-client-secret-of-sufficient-length-123';
const substantial = 'http://eidas.europa.eu/LoA/substantial';

/** Step-up to substanziell with a software token (DESIGN.md §3, TR-03107-1). */
describe('step-up with a second factor', () => {
  let t: TestApp;
  let accountId = '';
  let totpSecret = '';
  let recoveryCodes: string[] = [];
  before(async () => {
    t = await buildTestApp();
    await t.app.services.upsertOidc(
      {
        client_id: 'tax',
        client_secret: secret,
        client_name: 'Steuer',
        redirect_uris: [redirectUri],
        token_endpoint_auth_method: 'client_secret_basic',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
      },
      'Gewerbesteuer Online',
    );
    await registerVerified(t, new Browser(t.fastify), 'erika.m', 'erika@example.org');
    accountId = (await t.app.accounts.byLogin('erika.m'))?.id ?? '';
  });
  after(() => t.close());

  const follow = followRedirects;
  const afterPost = (browser: Browser, posted: LightMyRequestResponse) => {
    if (posted.statusCode !== 303) return Promise.resolve(Object.assign(posted, { finalUrl: '' }));
    const location = new URL(String(posted.headers.location), 'http://localhost:3000');
    return location.origin === 'http://localhost:3000'
      ? follow(browser, `${location.pathname}${location.search}`)
      : Promise.resolve(Object.assign(posted, { finalUrl: location.href }));
  };
  const field = (body: string, name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(body)?.[1] ?? '';
  const action = (body: string, suffix: string) =>
    new RegExp(`action="(/interaction/[^"]+/${suffix})"`).exec(body)?.[1] ?? '';

  async function authorize(browser: Browser, extra: Record<string, string> = {}) {
    const verifier = randomBytes(32).toString('base64url');
    const query = new URLSearchParams({
      client_id: 'tax',
      redirect_uri: redirectUri,
      response_type: 'code',
      scope: 'openid profile',
      state: 's',
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
      ...extra,
    });
    return { verifier, page: await follow(browser, `/oidc/auth?${query}`) };
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
  const code = (offsetSeconds = 0) =>
    generate({ secret: totpSecret, epoch: Math.floor(t.clock.now().getTime() / 1000) + offsetSeconds });

  test('with only typed-in data substanziell is out of reach: a page says so; back at the service, unmet_authentication_requirements', async () => {
    const browser = new Browser(t.fastify);
    await login(browser, 'erika.m');
    const { page } = await authorize(browser, { acr_values: substantial });
    assert.match(page.finalUrl, /^\/interaction\/[^/]+\/level$/);
    const back = await afterPost(browser, await browser.post(page.finalUrl, { _csrf: field(page.body, '_csrf') }));
    const callback = new URL(back.finalUrl);
    assert.equal(callback.searchParams.get('error'), 'unmet_authentication_requirements');
    assert.match(callback.searchParams.get('error_description') ?? '', /cannot reach/);
  });

  test('with verified data the citizen sets up a software token and steps up; acr and amr say so', async () => {
    await attributeRepository(t.app.db).setVerified(
      accountId,
      { given_name: 'Erika', family_name: 'Mustermann', birthdate: '1964-08-12' },
      { source: 'clerk', level: 4, at: t.clock.now(), evidence: { document: 'idcard', clerk: 'Meier' } },
    );
    const browser = new Browser(t.fastify);
    await login(browser, 'erika.m');
    const { page, verifier } = await authorize(browser, { acr_values: substantial });
    assert.match(page.finalUrl, /\/totp\/setup$/, 'only the missing factor is asked, set up first');
    assert.match(page.body, /<img class="qr" src="data:image\/png;base64,/);
    totpSecret = (/<code class="secret">([^<]+)<\/code>/.exec(page.body)?.[1] ?? '').replace(/\s/g, '');
    assert.match(totpSecret, /^[A-Z2-7]{32}$/);
    const wrong = await browser.post(action(page.body, 'totp/setup'), {
      _csrf: field(page.body, '_csrf'),
      code: '000000',
    });
    assert.equal(wrong.statusCode, 400);
    const codesPage = await browser.post(action(wrong.body, 'totp/setup'), {
      _csrf: field(wrong.body, '_csrf'),
      code: await code(),
    });
    assert.equal(codesPage.statusCode, 200);
    recoveryCodes = [...codesPage.body.matchAll(/<li><code>([A-Z0-9-]{11})<\/code><\/li>/g)].map((m) => m[1] ?? '');
    assert.equal(recoveryCodes.length, 10, 'ten recovery codes, shown once');
    const continueHref = /href="(\/interaction\/[^"]+\/continue)"/.exec(codesPage.body)?.[1] ?? '';
    const consentPage = await follow(browser, continueHref);
    assert.match(consentPage.body, /erhält diese Daten/);
    const done = await afterPost(
      browser,
      await browser.post(action(consentPage.body, 'consent'), { _csrf: field(consentPage.body, '_csrf') }),
    );
    const claims = await idTokenClaims(new URL(done.finalUrl).searchParams.get('code') ?? '', verifier);
    assert.equal(claims.acr, substantial);
    assert.deepEqual(claims.amr, ['pwd', 'otp', 'mfa']);
    const session = await t.app.db.query<{ level: number }>(
      'SELECT level FROM sso_sessions WHERE account_id = $1 ORDER BY created_at DESC LIMIT 1',
      [accountId],
    );
    assert.equal(session.rows[0]?.level, 3);
  });

  test('a code is accepted once; the next time step and one step of skew work, two steps do not', async () => {
    const browser = new Browser(t.fastify);
    await login(browser, 'erika.m');
    const { page } = await authorize(browser, { acr_values: substantial });
    assert.match(page.finalUrl, /\/totp$/, 'a token exists: it is used, not set up again');
    const replay = await browser.post(action(page.body, 'totp'), {
      _csrf: field(page.body, '_csrf'),
      code: await code(),
    });
    assert.equal(replay.statusCode, 400, 'the code of the set-up is not accepted again');
    t.clock.advance(90_000);
    const tooOld = await browser.post(action(page.body, 'totp'), {
      _csrf: field(page.body, '_csrf'),
      code: await code(-90),
    });
    assert.equal(tooOld.statusCode, 400, 'three steps back is too old');
    const skewed = await afterPost(
      browser,
      await browser.post(action(page.body, 'totp'), { _csrf: field(page.body, '_csrf'), code: await code(-30) }),
    );
    assert.ok(new URL(skewed.finalUrl).searchParams.get('code'), 'one step of clock skew is accepted');
  });

  test('a code that is not six digits is named as such, not as a wrong code; "123 456" with a space is accepted', async () => {
    const browser = new Browser(t.fastify);
    await login(browser, 'erika.m');
    const { page } = await authorize(browser, { acr_values: substantial });
    for (const short of ['12', '123', '12345a']) {
      const refused = await browser.post(action(page.body, 'totp'), { _csrf: field(page.body, '_csrf'), code: short });
      assert.equal(refused.statusCode, 400);
      assert.match(refused.body, /Der Code hat sechs Ziffern/);
      assert.doesNotMatch(refused.body, /Der Code stimmt nicht/);
    }
    t.clock.advance(30_000);
    const typed = await code();
    const done = await browser.post(action(page.body, 'totp'), {
      _csrf: field(page.body, '_csrf'),
      code: `${typed.slice(0, 3)} ${typed.slice(3)}`,
    });
    assert.equal(done.statusCode, 303, 'the code in two groups is the same code');
  });

  test('a recovery code stands in for the app once', async () => {
    const browser = new Browser(t.fastify);
    await login(browser, 'erika.m');
    const { page } = await authorize(browser, { acr_values: substantial });
    const form = await browser.get(
      `${new URL(page.finalUrl, 'http://localhost:3000').pathname.replace(/\/totp$/, '')}/recovery`,
    );
    assert.equal(form.statusCode, 200);
    const recoveryCode = recoveryCodes[0] ?? '';
    const used = await afterPost(
      browser,
      await browser.post(action(form.body, 'recovery'), {
        _csrf: field(form.body, '_csrf'),
        recovery_code: recoveryCode.toLowerCase(),
      }),
    );
    assert.ok(new URL(used.finalUrl).searchParams.get('code'), 'back at the service');
    const other = new Browser(t.fastify);
    await login(other, 'erika.m');
    const second = await authorize(other, { acr_values: substantial });
    const again = await other.get(
      `${new URL(second.page.finalUrl, 'http://localhost:3000').pathname.replace(/\/totp$/, '')}/recovery`,
    );
    const reused = await other.post(action(again.body, 'recovery'), {
      _csrf: field(again.body, '_csrf'),
      recovery_code: recoveryCode,
    });
    assert.equal(reused.statusCode, 400, 'a used code does not work again');
  });

  test("a service's configured minimum holds when it asks for less", async () => {
    await t.app.db.query("UPDATE services SET min_level = 3 WHERE id = 'tax'");
    const browser = new Browser(t.fastify);
    await login(browser, 'erika.m');
    const { page } = await authorize(browser, { acr_values: 'urn:servicekonto:loa:basis' });
    assert.match(page.finalUrl, /\/totp$/);
    await t.app.db.query("UPDATE services SET min_level = 1 WHERE id = 'tax'");
  });

  test('a refresh token of a substanziell login ends with the 2-hour session (TR-03160-1 table 2)', async () => {
    const browser = new Browser(t.fastify);
    await login(browser, 'erika.m');
    t.clock.advance(30_000);
    const { page, verifier } = await authorize(browser, { acr_values: substantial });
    const done = await afterPost(
      browser,
      await browser.post(action(page.body, 'totp'), { _csrf: field(page.body, '_csrf'), code: await code() }),
    );
    const response = await t.fastify.inject({
      method: 'POST',
      url: '/oidc/token',
      payload: new URLSearchParams({
        grant_type: 'authorization_code',
        code: new URL(done.finalUrl).searchParams.get('code') ?? '',
        redirect_uri: redirectUri,
        code_verifier: verifier,
      }).toString(),
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`tax:${secret}`).toString('base64')}`,
      },
    });
    let refreshToken = response.json<{ refresh_token: string }>().refresh_token;
    const refresh = () =>
      t.fastify.inject({
        method: 'POST',
        url: '/oidc/token',
        payload: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }).toString(),
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`tax:${secret}`).toString('base64')}`,
        },
      });
    t.clock.advance((2 * 3600 - 120) * 1000);
    const early = await refresh();
    assert.equal(early.statusCode, 200, early.body);
    refreshToken = early.json<{ refresh_token: string }>().refresh_token;
    t.clock.advance(180_000);
    const late = await refresh();
    assert.equal(late.statusCode, 400, 'past two hours the rotated token is dead too');
    assert.equal(late.json<{ error: string }>().error, 'invalid_grant');
  });

  test('a session that reached substanziell is not asked again', async () => {
    const browser = new Browser(t.fastify);
    await login(browser, 'erika.m');
    const first = await authorize(browser, { acr_values: substantial });
    t.clock.advance(30_000);
    const raised = await afterPost(
      browser,
      await browser.post(action(first.page.body, 'totp'), {
        _csrf: field(first.page.body, '_csrf'),
        code: await code(),
      }),
    );
    assert.ok(new URL(raised.finalUrl).searchParams.get('code'));
    const again = await authorize(browser, { acr_values: substantial });
    assert.ok(new URL(again.page.finalUrl).searchParams.get('code'), 'single sign-on at the level reached');
  });
});
