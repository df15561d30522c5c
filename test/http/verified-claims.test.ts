import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { generate } from 'otplib';
import { attributeRepository } from '../../src/identity/attribute-repository.ts';
import {
  Browser,
  buildTestApp,
  followRedirects,
  login,
  registerVerified,
  type FollowedPage,
  type TestApp,
} from '../helpers/test-app.ts';

const redirectUri = 'https://service.example/callback';
const secret = 'a-client-secret-of-sufficient-length-123';
const low = 'http://eidas.europa.eu/LoA/low';
const substantial = 'http://eidas.europa.eu/LoA/substantial';

type VerifiedClaims = {
  verification: { trust_framework: string; assurance_level: string; time: string; evidence: unknown[] };
  claims: Record<string, unknown>;
}[];

/**
 * OIDC4IA verified_claims through the real flow: clerk-checked data at
 * min(their level, the login's level) (DESIGN.md §3), typed-in data never
 * inside, nothing without the scope.
 */
describe('verified_claims through the OIDC flow', () => {
  let t: TestApp;
  let browser: Browser;
  let lowRefreshToken = '';
  before(async () => {
    t = await buildTestApp();
    await t.app.services.upsertOidc(
      {
        client_id: 'fees',
        client_secret: secret,
        client_name: 'Elternbeiträge',
        redirect_uris: [redirectUri],
        token_endpoint_auth_method: 'client_secret_basic',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
      },
      'Elternbeiträge Online',
    );
    browser = new Browser(t.fastify);
    await registerVerified(t, browser, 'erika.m', 'erika@example.org');
    const accountId = (await t.app.accounts.byLogin('erika.m'))?.id ?? '';
    const attributes = attributeRepository(t.app.db);
    await attributes.setTyped(accountId, { street_address: 'Heidestraße 17', locality: 'Köln' });
    await attributes.setVerified(
      accountId,
      { given_name: 'Erika', family_name: 'Mustermann', birthdate: '1964-08-12', nationality: 'DE' },
      {
        source: 'clerk',
        level: 4,
        at: t.clock.now(),
        evidence: { document: 'passport', clerk: 'Meier', office: 'Bürgeramt Köln-Porz' },
      },
    );
    await login(browser, 'erika.m');
  });
  after(() => t.close());

  const field = (body: string, name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(body)?.[1] ?? '';
  const action = (body: string, suffix: string) =>
    new RegExp(`action="(/interaction/[^"]+/${suffix})"`).exec(body)?.[1] ?? '';
  const basic = `Basic ${Buffer.from(`fees:${secret}`).toString('base64')}`;

  async function authorize(scope: string, extra: Record<string, string> = {}) {
    const verifier = randomBytes(32).toString('base64url');
    const query = new URLSearchParams({
      client_id: 'fees',
      redirect_uri: redirectUri,
      response_type: 'code',
      scope,
      state: 's',
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
      ...extra,
    });
    return { verifier, page: await followRedirects(browser, `/oidc/auth?${query}`) };
  }
  async function afterPost(posted: LightMyRequestResponse): Promise<FollowedPage> {
    assert.equal(posted.statusCode, 303, posted.body);
    const location = new URL(String(posted.headers.location), 'http://localhost:3000');
    return location.origin === 'http://localhost:3000'
      ? followRedirects(browser, `${location.pathname}${location.search}`)
      : Object.assign(posted, { finalUrl: location.href });
  }
  /** Agrees on the consent page if there is one; returns the code the service gets. */
  async function codeFrom(page: FollowedPage): Promise<string> {
    const done =
      page.statusCode === 200 && action(page.body, 'consent')
        ? await afterPost(await browser.post(action(page.body, 'consent'), { _csrf: field(page.body, '_csrf') }))
        : page;
    const code = new URL(done.finalUrl).searchParams.get('code');
    assert.ok(code, `back at the service with a code: ${done.finalUrl}`);
    return code;
  }
  async function token(body: Record<string, string>) {
    const response = await t.fastify.inject({
      method: 'POST',
      url: '/oidc/token',
      payload: new URLSearchParams(body).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic },
    });
    assert.equal(response.statusCode, 200, response.body);
    const tokens = response.json<{ access_token: string; id_token: string; refresh_token: string }>();
    const idToken = JSON.parse(Buffer.from(tokens.id_token.split('.')[1] ?? '', 'base64url').toString()) as Record<
      string,
      unknown
    >;
    return { ...tokens, idToken };
  }
  async function userinfo(
    accessToken: string,
  ): Promise<Record<string, unknown> & { verified_claims?: VerifiedClaims }> {
    const response = await t.fastify.inject({
      method: 'GET',
      url: '/oidc/userinfo',
      headers: { authorization: `Bearer ${accessToken}` },
    });
    assert.equal(response.statusCode, 200, response.body);
    return response.json();
  }
  const levels = (info: { verified_claims?: VerifiedClaims }) =>
    (info.verified_claims ?? []).map((v) => v.verification.assurance_level);

  test('discovery announces the scope and the OIDC4IA metadata', async () => {
    const doc = (await t.fastify.inject({ method: 'GET', url: '/.well-known/openid-configuration' })).json<
      Record<string, unknown>
    >();
    assert.ok((doc.scopes_supported as string[]).includes('verified_claims'));
    assert.ok((doc.claims_supported as string[]).includes('verified_claims'));
    assert.deepEqual(doc.trust_frameworks_supported, ['eidas']);
    assert.deepEqual(doc.evidence_supported, ['document']);
    assert.deepEqual(doc.documents_supported, ['idcard', 'passport', 'residence_permit']);
    assert.ok((doc.claims_in_verified_claims_supported as string[]).includes('family_name'));
    assert.equal(doc.claims_parameter_supported, false, 'still only through scopes the consent page shows');
  });

  test('a password login (niedrig) gets the clerk-checked data as low, not high; typed data stay plain claims', async () => {
    const { page, verifier } = await authorize('openid profile address verified_claims');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Ob und wie diese Daten geprüft wurden/);
    assert.match(page.body, /vor Ort anhand eines Ausweisdokuments geprüft am/);
    const tokens = await token({
      grant_type: 'authorization_code',
      code: await codeFrom(page),
      redirect_uri: redirectUri,
      code_verifier: verifier,
    });
    lowRefreshToken = tokens.refresh_token;
    assert.equal(tokens.idToken.acr, low);
    assert.equal(tokens.idToken.verified_claims, undefined, 'scope claims come from userinfo (OIDC Core §5.4)');

    const info = await userinfo(tokens.access_token);
    assert.deepEqual(levels(info), ['low']);
    const [verified] = info.verified_claims ?? [];
    assert.deepEqual(verified?.claims, {
      given_name: 'Erika',
      family_name: 'Mustermann',
      birthdate: '1964-08-12',
      nationalities: ['DE'],
    });
    assert.equal(verified?.verification.trust_framework, 'eidas');
    assert.deepEqual(verified?.verification.evidence, [
      {
        type: 'document',
        check_details: [
          { check_method: 'vpip', organization: 'Bürgeramt Köln-Porz', time: verified?.verification.time },
          { check_method: 'pvp', organization: 'Bürgeramt Köln-Porz', time: verified?.verification.time },
        ],
        document_details: { type: 'passport' },
      },
    ]);
    assert.doesNotMatch(JSON.stringify(info.verified_claims), /Meier/, "the clerk's name stays in the audit log");
    assert.deepEqual(
      info.address,
      { street_address: 'Heidestraße 17', locality: 'Köln', formatted: 'Heidestraße 17\nKöln' },
      'typed address as a plain claim',
    );
    assert.equal(info.family_name, 'Mustermann', 'verified data are plain claims too');
  });

  test('after a step-up to substanziell the same data come as substantial; the earlier refresh token stays low', async () => {
    const { page, verifier } = await authorize('openid profile address verified_claims', { acr_values: substantial });
    assert.match(page.finalUrl, /\/totp\/setup$/);
    const totpSecret = (/<code class="secret">([^<]+)<\/code>/.exec(page.body)?.[1] ?? '').replace(/\s/g, '');
    const codesPage = await browser.post(action(page.body, 'totp/setup'), {
      _csrf: field(page.body, '_csrf'),
      code: await generate({ secret: totpSecret, epoch: Math.floor(t.clock.now().getTime() / 1000) }),
    });
    assert.equal(codesPage.statusCode, 200);
    const continueHref = /href="(\/interaction\/[^"]+\/continue)"/.exec(codesPage.body)?.[1] ?? '';
    const tokens = await token({
      grant_type: 'authorization_code',
      code: await codeFrom(await followRedirects(browser, continueHref)),
      redirect_uri: redirectUri,
      code_verifier: verifier,
    });
    assert.equal(tokens.idToken.acr, substantial);
    assert.deepEqual(levels(await userinfo(tokens.access_token)), ['substantial']);

    const refreshed = await token({ grant_type: 'refresh_token', refresh_token: lowRefreshToken });
    assert.equal(refreshed.idToken.acr, low, 'a refresh keeps the level of its login');
    assert.deepEqual(levels(await userinfo(refreshed.access_token)), ['low'], 'and does not raise verified_claims');
  });

  test('introspection tells the level of the login behind an access token (RFC 9470 §6.2)', async () => {
    const { page, verifier } = await authorize('openid verified_claims');
    const { access_token } = await token({
      grant_type: 'authorization_code',
      code: await codeFrom(page),
      redirect_uri: redirectUri,
      code_verifier: verifier,
    });
    const introspection = await t.fastify.inject({
      method: 'POST',
      url: '/oidc/token/introspection',
      payload: new URLSearchParams({ token: access_token }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic },
    });
    assert.equal(introspection.json<{ acr: string }>().acr, substantial);
  });

  test('verified_claims alone releases no data; without the scope there is no verified_claims', async () => {
    const alone = await authorize('openid verified_claims');
    const aloneTokens = await token({
      grant_type: 'authorization_code',
      code: await codeFrom(alone.page),
      redirect_uri: redirectUri,
      code_verifier: alone.verifier,
    });
    assert.equal((await userinfo(aloneTokens.access_token)).verified_claims, undefined);

    const without = await authorize('openid profile');
    const withoutTokens = await token({
      grant_type: 'authorization_code',
      code: await codeFrom(without.page),
      redirect_uri: redirectUri,
      code_verifier: without.verifier,
    });
    const info = await userinfo(withoutTokens.access_token);
    assert.equal(info.family_name, 'Mustermann');
    assert.equal(info.verified_claims, undefined);
  });
});
