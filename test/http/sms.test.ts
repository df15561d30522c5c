import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { generate } from 'otplib';
import { attributeRepository } from '../../src/identity/attribute-repository.ts';
import { Browser, buildTestApp, followRedirects, login, registerVerified, type TestApp } from '../helpers/test-app.ts';

const redirectUri = 'https://service.example/callback';
const secret = 'a-client-secret-of-sufficient-length-123';
const substantial = 'http://eidas.europa.eu/LoA/substantial';
const mobile = '+4915123456789';

/**
 * SMS-TAN (DESIGN.md §3): a number registered in a password-only session is
 * a second factor at level niedrig only; registered in a substanziell
 * session it reaches substanziell (TR-03107-1). TANs go to the development
 * sink (the table behind /dev/sms) and are checked once, three tries, five
 * minutes.
 */
describe('SMS-TAN', () => {
  let t: TestApp;
  let accountId = '';
  before(async () => {
    t = await buildTestApp();
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
    await registerVerified(t, new Browser(t.fastify), 'erika.m', 'erika@example.org');
    accountId = (await t.app.accounts.byLogin('erika.m'))?.id ?? '';
    await attributeRepository(t.app.db).setVerified(
      accountId,
      { given_name: 'Erika', family_name: 'Mustermann', birthdate: '1964-08-12' },
      { source: 'clerk', level: 4, at: t.clock.now(), evidence: { document: 'idcard', clerk: 'Meier' } },
    );
  });
  after(() => t.close());

  /** The TAN of the last SMS to the number, read from the development sink. */
  const lastTan = async () => {
    const row = (
      await t.app.db.query<{ recipient: string; body: string }>(
        'SELECT recipient, body FROM dev_sms_outbox ORDER BY id DESC LIMIT 1',
      )
    ).rows[0];
    assert.equal(row?.recipient, mobile);
    return /(\d{6})/.exec(row?.body ?? '')?.[1] ?? '';
  };
  const smsCount = async () =>
    (await t.app.db.query<{ n: number }>('SELECT count(*)::int AS n FROM dev_sms_outbox')).rows[0]?.n ?? 0;
  const latestSession = async () =>
    (
      await t.app.db.query<{ level: number; means_level: number; amr: string[] }>(
        'SELECT level, means_level, amr FROM sso_sessions WHERE account_id = $1 ORDER BY created_at DESC LIMIT 1',
        [accountId],
      )
    ).rows[0];
  const smsMeansLevel = async () =>
    (
      await t.app.db.query<{ level: number }>(
        "SELECT level FROM authentication_means WHERE account_id = $1 AND kind = 'sms' AND blocked_at IS NULL",
        [accountId],
      )
    ).rows[0]?.level;

  test('landlines and garbage are refused with a reason, and nothing is sent', async () => {
    const browser = new Browser(t.fastify);
    await login(browser, 'erika.m');
    const _csrf = await browser.csrf('/account');
    const landline = await browser.post('/account/sms', { _csrf, phone: '0221 1234567' });
    assert.equal(landline.statusCode, 400);
    assert.match(landline.body, /Festnetznummern/);
    const garbage = await browser.post('/account/sms', { _csrf, phone: 'call me maybe' });
    assert.equal(garbage.statusCode, 400);
    assert.equal(await smsCount(), 0);
  });

  test('a number added in a password-only session is a second factor at level niedrig only (TR-03107-1)', async () => {
    const browser = new Browser(t.fastify);
    await login(browser, 'erika.m');
    const _csrf = await browser.csrf('/account');
    const sent = await browser.post('/account/sms', { _csrf, phone: '0151 234 567 89' });
    assert.equal(sent.statusCode, 303);
    const confirm = await browser.get('/account/sms/confirm');
    assert.match(confirm.body, /\+49 151 ••••• 89/, 'the number is shown masked');
    const tan = await lastTan();
    const wrong = await browser.post('/account/sms/confirm', { _csrf, tan: tan === '000000' ? '000001' : '000000' });
    assert.equal(wrong.statusCode, 400);
    const done = await browser.follow(await browser.post('/account/sms/confirm', { _csrf, tan }), '/account/security');
    assert.equal(done.statusCode, 200);
    assert.match(done.body, /reicht aber nicht für das Vertrauensniveau „substanziell“/);
    assert.equal(await smsMeansLevel(), 2);
    assert.deepEqual(await latestSession(), { level: 2, means_level: 2, amr: ['pwd', 'sms', 'mfa'] });
  });

  test('a level-2 number is not offered for substanziell: the citizen sets up a software token instead', async () => {
    const browser = new Browser(t.fastify);
    await login(browser, 'erika.m');
    const page = await authorize(browser, { acr_values: substantial });
    assert.match(page.finalUrl, /\/interaction\/[^/]+\/totp\/setup$/);
  });

  test('the same number confirmed again in a substanziell session reaches substanziell', async () => {
    // A new hour: the SMS of this test and the next stay within the hourly limit.
    t.clock.advance(2 * 3600 * 1000);
    const browser = new Browser(t.fastify);
    await login(browser, 'erika.m');
    const _csrf = await browser.csrf('/account');
    // The account has a second factor now (the number): Mein Konto first wants it used (issue 13, point 2).
    assert.equal((await browser.get('/account/totp/setup')).statusCode, 303);
    assert.equal((await browser.post('/account/confirm/sms/send', { _csrf })).statusCode, 303);
    assert.equal((await browser.post('/account/confirm/sms', { _csrf, tan: await lastTan() })).statusCode, 303);
    // Raise the session with a software token set up on the account page (the account's maximum is 2 so far).
    const setup = await browser.get('/account/totp/setup');
    const totpSecret = (/<code class="secret">([^<]+)<\/code>/.exec(setup.body)?.[1] ?? '').replace(/\s/g, '');
    assert.equal(
      (
        await browser.post('/account/totp/setup', {
          _csrf,
          code: await generate({ secret: totpSecret, epoch: Math.floor(t.clock.now().getTime() / 1000) }),
        })
      ).statusCode,
      200,
    );
    assert.equal((await latestSession())?.means_level, 3);
    assert.equal((await browser.post('/account/sms', { _csrf, phone: mobile })).statusCode, 303);
    const done = await browser.follow(
      await browser.post('/account/sms/confirm', { _csrf, tan: await lastTan() }),
      '/account/security',
    );
    assert.match(done.body, /Die Mobilfunknummer \+49 151 ••••• 89 ist eingerichtet\./);
    assert.equal(await smsMeansLevel(), 3);
  });

  test('step-up by SMS: choice of factors, three tries, then a new TAN; acr substantial, amr pwd sms mfa', async () => {
    const browser = new Browser(t.fastify);
    await login(browser, 'erika.m');
    const { verifier, page } = await authorizeWithVerifier(browser, { acr_values: substantial });
    assert.match(page.finalUrl, /\/interaction\/[^/]+\/second-factor$/, 'app and SMS both reach the level: a choice');
    const base = /(\/interaction\/[^/]+)\/second-factor$/.exec(page.finalUrl)?.[1] ?? '';
    assert.match(page.body, new RegExp(`href="${base}/sms"`));
    assert.match(page.body, new RegExp(`href="${base}/totp"`));
    const smsPage = await browser.get(`${base}/sms`);
    assert.match(smsPage.body, /Code senden/);
    const _csrf = /name="_csrf" value="([^"]+)"/.exec(smsPage.body)?.[1] ?? '';
    const before = await smsCount();
    assert.equal((await browser.post(`${base}/sms/send`, { _csrf })).statusCode, 303);
    assert.equal(await smsCount(), before + 1);
    const tan = await lastTan();
    const wrongTan = tan === '111111' ? '222222' : '111111';
    for (let i = 0; i < 3; i++)
      assert.equal((await browser.post(`${base}/sms`, { _csrf, tan: wrongTan })).statusCode, 400);
    const voided = await browser.post(`${base}/sms`, { _csrf, tan });
    assert.equal(voided.statusCode, 400, 'after three wrong tries the TAN is void');
    await browser.post(`${base}/sms/send`, { _csrf });
    const fresh = await lastTan();
    t.clock.advance(5 * 60 * 1000 + 1000);
    assert.equal(
      (await browser.post(`${base}/sms`, { _csrf, tan: fresh })).statusCode,
      400,
      'a TAN lives five minutes',
    );
    t.clock.advance(-(5 * 60 * 1000 + 1000));
    await browser.post(`${base}/sms/send`, { _csrf });
    const done = await browser.post(`${base}/sms`, { _csrf, tan: await lastTan() });
    assert.equal(done.statusCode, 303);
    const consent = await followRedirects(browser, String(done.headers.location));
    const consentAction = /action="(\/interaction\/[^"]+\/consent)"/.exec(consent.body)?.[1] ?? '';
    const granted = await browser.post(consentAction, {
      _csrf: /name="_csrf" value="([^"]+)"/.exec(consent.body)?.[1] ?? '',
    });
    const next = new URL(String(granted.headers.location), 'http://localhost:3000');
    const callback = await followRedirects(browser, `${next.pathname}${next.search}`);
    const code = new URL(callback.finalUrl).searchParams.get('code') ?? '';
    const claims = await idTokenClaims(code, verifier);
    assert.equal(claims.acr, substantial);
    assert.deepEqual(claims.amr, ['pwd', 'sms', 'mfa']);
  });

  test('a TAN that is not six digits is named as such and uses up no try; "123 456" with a space is accepted', async () => {
    // A new hour: the sends above count against the hourly limit.
    t.clock.advance(3 * 3600 * 1000);
    const browser = new Browser(t.fastify);
    await login(browser, 'erika.m');
    const page = await authorize(browser, { acr_values: substantial });
    const base = /(\/interaction\/[^/]+)\/second-factor$/.exec(page.finalUrl)?.[1] ?? '';
    const _csrf = /name="_csrf" value="([^"]+)"/.exec((await browser.get(`${base}/sms`)).body)?.[1] ?? '';
    await browser.post(`${base}/sms/send`, { _csrf });
    const tan = await lastTan();
    // More short tries than the three a TAN allows: none of them counts.
    for (const short of ['12', '123', '12345', '1234567']) {
      const refused = await browser.post(`${base}/sms`, { _csrf, tan: short });
      assert.equal(refused.statusCode, 400);
      assert.match(refused.body, /Der Code hat sechs Ziffern/);
      assert.doesNotMatch(refused.body, /Der Code stimmt nicht/);
    }
    const done = await browser.post(`${base}/sms`, { _csrf, tan: `${tan.slice(0, 3)} ${tan.slice(3)}` });
    assert.equal(done.statusCode, 303, 'the TAN still works after the short tries, typed with a space');
  });

  test('a TAN belongs to the session that asked for it', async () => {
    // A new hour: the sends above count against the hourly limit.
    t.clock.advance(2 * 3600 * 1000);
    const owner = new Browser(t.fastify);
    await login(owner, 'erika.m');
    const _csrf = await owner.csrf('/account');
    await owner.get('/account/confirm/sms');
    assert.equal((await owner.post('/account/confirm/sms/send', { _csrf })).statusCode, 303);
    const tan = await lastTan();
    const other = new Browser(t.fastify);
    await login(other, 'erika.m');
    const otherCsrf = await other.csrf('/account');
    assert.equal((await other.post('/account/confirm/sms', { _csrf: otherCsrf, tan })).statusCode, 400);
    const used = await owner.post('/account/confirm/sms', { _csrf, tan });
    assert.equal(used.statusCode, 303);
    assert.equal(used.headers.location, '/account', 'back to the overview it was asked from');
  });

  test('"Neuen Code senden": the page says a new code is on its way, and the old one no longer works', async () => {
    t.clock.advance(2 * 3600 * 1000);
    const browser = new Browser(t.fastify);
    await login(browser, 'erika.m');
    const _csrf = await browser.csrf('/account');
    // In a step-up …
    assert.equal((await browser.post('/account/confirm/sms/send', { _csrf })).statusCode, 303);
    const first = await lastTan();
    const again = await browser.post('/account/confirm/sms/send', { _csrf });
    assert.equal(again.headers.location, '/account/confirm/sms?resent=1');
    const page = await browser.get(String(again.headers.location));
    assert.match(
      page.body,
      /neuen Code an \+49 151 ••••• 89 gesendet\. Er gilt 5 Minuten\. Der vorige Code gilt nicht mehr\./,
    );
    assert.match(page.body, /Neuen Code senden/);
    const second = await lastTan();
    if (first !== second)
      assert.equal(
        (await browser.post('/account/confirm/sms', { _csrf, tan: first })).statusCode,
        400,
        'old code void',
      );
    assert.equal((await browser.post('/account/confirm/sms', { _csrf, tan: second })).statusCode, 303);
    // … and when a number is being confirmed on "Mein Konto".
    assert.equal((await browser.post('/account/sms', { _csrf, phone: mobile })).statusCode, 303);
    const confirm = await browser.get('/account/sms/confirm');
    assert.match(confirm.body, /action="\/account\/sms\/resend"/);
    assert.doesNotMatch(confirm.body, /vorige Code/);
    const old = await lastTan();
    const resent = await browser.post('/account/sms/resend', { _csrf });
    assert.equal(resent.headers.location, '/account/sms/confirm?resent=1');
    assert.match((await browser.get('/account/sms/confirm?resent=1')).body, /Der vorige Code gilt nicht mehr/);
    const fresh = await lastTan();
    if (old !== fresh)
      assert.equal((await browser.post('/account/sms/confirm', { _csrf, tan: old })).statusCode, 400, 'old code void');
    // The hourly limit counts these too: five sent, the sixth is refused, and the fifth code still works.
    assert.equal((await browser.post('/account/sms/resend', { _csrf })).statusCode, 303);
    const fifth = await lastTan();
    assert.equal((await browser.post('/account/sms/resend', { _csrf })).statusCode, 429);
    assert.equal((await browser.post('/account/sms/confirm', { _csrf, tan: fifth })).statusCode, 303);
  });

  test('at most five SMS an hour per account', async () => {
    const browser = new Browser(t.fastify);
    t.clock.advance(2 * 3600 * 1000);
    await login(browser, 'erika.m');
    const _csrf = await browser.csrf('/account');
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await browser.post('/account/confirm/sms/send', { _csrf })).statusCode);
    assert.deepEqual(statuses, [303, 303, 303, 303, 303, 429]);
  });

  async function authorizeWithVerifier(browser: Browser, extra: Record<string, string> = {}) {
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
    return { verifier, page: await followRedirects(browser, `/oidc/auth?${query}`) };
  }
  async function authorize(browser: Browser, extra: Record<string, string> = {}) {
    return (await authorizeWithVerifier(browser, extra)).page;
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
