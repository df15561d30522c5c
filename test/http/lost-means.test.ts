import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { generate } from 'otplib';
import { attributeRepository } from '../../src/identity/attribute-repository.ts';
import {
  Browser,
  buildTestApp,
  followRedirects,
  linkFrom,
  login,
  registerVerified,
  type TestApp,
} from '../helpers/test-app.ts';

const redirectUri = 'https://service.example/callback';

/**
 * A lost second factor is blocked without using it, through a single-use
 * link by e-mail (TR-03160-1). Whoever used the link may hold password and
 * mailbox but not the token: every session ends, and a token set up
 * afterwards in a password-only session does not reach substanziell.
 */
describe('blocking a lost means by e-mail link', () => {
  let t: TestApp;
  let accountId = '';
  before(async () => {
    t = await buildTestApp();
    await t.app.services.upsertOidc(
      {
        client_id: 'tax',
        client_secret: 'a-client-secret-of-sufficient-length-123',
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

  async function setUpToken(browser: Browser): Promise<void> {
    const setup = await browser.get('/account/totp/setup');
    const secret = (/<code class="secret">([^<]+)<\/code>/.exec(setup.body)?.[1] ?? '').replace(/\s/g, '');
    const _csrf = await browser.csrf('/account');
    const done = await browser.post('/account/totp/setup', {
      _csrf,
      code: await generate({ secret, epoch: Math.floor(t.clock.now().getTime() / 1000) }),
    });
    assert.equal(done.statusCode, 200);
  }
  const sessions = async () =>
    (
      await t.app.db.query<{ n: number }>('SELECT count(*)::int AS n FROM sso_sessions WHERE account_id = $1', [
        accountId,
      ])
    ).rows[0]?.n;

  test('asking for the link says the same for unknown names and sends only to the owner', async () => {
    const browser = new Browser(t.fastify);
    await login(browser, 'erika.m');
    await setUpToken(browser);
    const stranger = new Browser(t.fastify);
    const _csrf = await stranger.csrf('/means/lost');
    const unknown = await stranger.post('/means/lost', { _csrf, identifier: 'nobody.here' });
    const known = await stranger.post('/means/lost', { _csrf, identifier: 'erika@example.org' });
    assert.equal(unknown.statusCode, 200);
    assert.equal(known.statusCode, 200);
    assert.equal(
      unknown.body.replace(/name="_csrf" value="[^"]+"/, ''),
      known.body.replace(/name="_csrf" value="[^"]+"/, ''),
      'no hint whether the account exists',
    );
    await t.app.jobs.runDue();
    assert.equal(t.mails.filter((m) => m.subject === 'Anmeldemittel sperren').length, 1);
  });

  test('the link lists the second factors; blocking ends every session and cannot be repeated', async () => {
    const link = linkFrom(t.mails.findLast((m) => m.subject === 'Anmeldemittel sperren'));
    const browser = new Browser(t.fastify);
    const page = await browser.get(link);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Authenticator-App/);
    const id = /name="block_([0-9a-f-]{36})"/.exec(page.body)?.[1] ?? '';
    const token = /name="token" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const _csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    assert.equal((await browser.post('/means/block', { _csrf, token })).statusCode, 400, 'nothing chosen');
    assert.ok((await sessions()) ?? 0 > 0);
    const blocked = await browser.post('/means/block', { _csrf, token, [`block_${id}`]: 'on' });
    assert.equal(blocked.statusCode, 200);
    assert.match(blocked.body, /Sie sind überall abgemeldet/);
    assert.equal(await t.app.methods.totp.hasConfirmed(t.app.db, accountId), false);
    assert.equal(await sessions(), 0, 'every session ended');
    assert.equal((await t.app.accounts.byId(accountId))?.meansResetAt instanceof Date, true);
    const codes = await t.app.db.query(
      "SELECT 1 FROM authentication_means WHERE account_id = $1 AND kind = 'recovery' AND blocked_at IS NULL",
      [accountId],
    );
    assert.equal(codes.rowCount, 0, 'the recovery codes are blocked with the app');
    assert.equal(
      (await browser.post('/means/block', { _csrf, token, [`block_${id}`]: 'on' })).statusCode,
      400,
      'the link works once',
    );
    await t.app.jobs.runDue();
    assert.ok(t.mails.some((m) => m.subject === 'Anmeldemittel gesperrt'));
    const audit = await t.app.db.query<{ details: { via: string } }>(
      "SELECT details FROM audit_events WHERE action = 'means.blocked'",
    );
    assert.equal(audit.rows[0]?.details.via, 'email_link');
  });

  test('the blocked token stays listed as blocked; a new one from a password-only session reaches niedrig only', async () => {
    const browser = new Browser(t.fastify);
    await login(browser, 'erika.m');
    const account = await browser.get('/account/security');
    assert.match(account.body, /Gesperrt am/);
    await setUpToken(browser);
    const levels = await t.app.db.query<{ level: number }>(
      "SELECT level FROM authentication_means WHERE account_id = $1 AND kind = 'totp' AND blocked_at IS NULL",
      [accountId],
    );
    assert.equal(levels.rows[0]?.level, 2);
    assert.match((await browser.get('/account/security')).body, /Reicht nicht für „substanziell“/);
    // A service asking for substanziell now learns the account cannot get there.
    const fresh = new Browser(t.fastify);
    await login(fresh, 'erika.m');
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
    const result = await followRedirects(fresh, `/oidc/auth?${query}`);
    assert.match(result.finalUrl, /^\/interaction\/[^/]+\/level$/, 'the citizen learns why here (issue 15, point 6)');
    const _csrf = /name="_csrf" value="([^"]+)"/.exec(result.body)?.[1] ?? '';
    const back = await fresh.post(result.finalUrl, { _csrf });
    const resumed = await followRedirects(fresh, String(back.headers.location));
    assert.equal(new URL(resumed.finalUrl).searchParams.get('error'), 'unmet_authentication_requirements');
  });
});
