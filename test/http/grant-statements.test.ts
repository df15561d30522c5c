// What a token request costs the database (issue 16): the client is found in
// memory (services/cached-service-repository.ts), so a grant reads no row of
// `services`. The statements are counted at the Database port.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import * as client from 'openid-client';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config/load.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import type { ComposedMail } from '../../src/platform/mail/compose.ts';
import { countingDatabase, type CountingDatabase } from '../helpers/counting-database.ts';
import { migratedDatabase } from '../helpers/db-template.ts';
import { authorizationRequest, discoverInjected } from '../helpers/inject-relying-party.ts';
import { Browser, followRedirects, login, registerVerified, type TestApp } from '../helpers/test-app.ts';

let counting: CountingDatabase;

const secret = 'a-client-secret-of-sufficient-length-123';
const redirectUri = 'https://service.example/callback';
let t: TestApp;

before(async () => {
  const { config } = loadConfig({
    LOG_LEVEL: 'silent',
    ARGON2_MEMORY_KIB: '1024',
    ARGON2_TIME_COST: '1',
    START_EXAMPLE: 'false',
  });
  const db = await migratedDatabase();
  const mails: ComposedMail[] = [];
  const clock = fixedClock(new Date());
  const built = await buildApp({
    config,
    db: (counting = countingDatabase(db)),
    clock,
    mailTransport: { send: async (mail) => void mails.push(mail), close: () => undefined },
  });
  await built.fastify.ready();
  t = {
    ...built,
    clock,
    mails,
    async close() {
      await built.fastify.close();
      await db.close();
    },
  };
  await t.app.services.upsertOidc(
    {
      client_id: 'counted',
      client_secret: secret,
      redirect_uris: [redirectUri],
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
      response_types: ['code'],
    },
    'Counted',
  );
});
after(() => t?.close());

/** The statements `work` makes, the second time (the first fills the caches). */
async function statementsOf(work: () => Promise<unknown>): Promise<string[]> {
  await work();
  counting.start();
  await work();
  return counting.stop().statements.map((statement) => statement.sql);
}

const readsServices = (sql: string) => /\bFROM services\b/i.test(sql);

test('a client_credentials grant reads no service row', async (t2) => {
  const grant = async () => {
    const response = await t.fastify.inject({
      method: 'POST',
      url: '/oidc/token',
      headers: {
        authorization: `Basic ${Buffer.from(`counted:${secret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: 'grant_type=client_credentials',
    });
    assert.equal(response.statusCode, 200);
  };
  const made = await statementsOf(grant);
  assert.deepEqual(made.filter(readsServices), []);
  t2.diagnostic(`${made.length} statements per client_credentials grant`);
});

test('a refresh grant reads no service row', async (t2) => {
  const config = await discoverInjected(t.fastify, 'counted', {}, client.ClientSecretBasic(secret));
  const browser = new Browser(t.fastify);
  await login(browser, await registerVerified(t, browser));
  const { url, checks } = await authorizationRequest(config, redirectUri, { scope: 'openid offline_access' });
  let page = await followRedirects(browser, `${url.pathname}${url.search}`);
  const consent = /action="(\/interaction\/[^"]+\/consent)"/.exec(page.body)?.[1];
  if (consent) {
    const _csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const posted = await browser.post(consent, { _csrf });
    const next = new URL(String(posted.headers.location), 'http://localhost:3000');
    page = await followRedirects(browser, `${next.pathname}${next.search}`);
  }
  assert.ok(page.finalUrl.startsWith(redirectUri), `back at the service, not at ${page.finalUrl}`);
  let refreshToken = (await client.authorizationCodeGrant(config, new URL(page.finalUrl), checks)).refresh_token;
  const refresh = async () => {
    refreshToken = (await client.refreshTokenGrant(config, refreshToken ?? '')).refresh_token;
  };
  const made = await statementsOf(refresh);
  assert.deepEqual(made.filter(readsServices), []);
  t2.diagnostic(`${made.length} statements per refresh grant`);
});
