import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createHttpClient, formBody } from '../lib/http.ts';
import { Browser, findForm } from '../lib/browser.ts';
import type { Fixtures } from '../lib/types.ts';
import { fullLogin } from '../scenarios/oidc-flow.ts';
import type { ScenarioContext } from '../scenarios/scenario.ts';
import { startBaseline, type Baseline } from './start.ts';

/**
 * The bare library's login (bare-login.ts), the bound the report sets our
 * login against: it must be a real login, the same flow the load generator
 * drives against our server (PKCE, the form, the resume, the code exchange
 * with an ID token), and refuse a wrong password, or its figure means
 * nothing. Run by name: `node test/run.ts bench/baseline/bare-login.test.ts`.
 */
const client = {
  id: 'bench-client',
  secret: 'a-bench-secret-of-sufficient-length',
  redirectUri: 'https://rp.example/cb',
};
const account = { username: 'citizen-1', password: 'correct horse battery staple' };

let baseline: Baseline;
let http: ReturnType<typeof createHttpClient>;
let ctx: ScenarioContext;

before(async () => {
  // Cheap parameters: the test is about the flow, the bench about the cost.
  baseline = await startBaseline(client, 0, undefined, {
    accounts: [account],
    hash: { timeCost: 1, memoryCost: 1024, parallelism: 1 },
  });
  http = createHttpClient(4);
  const fixtures: Fixtures = {
    baseUrl: baseline.baseUrl,
    tokenPath: '/oidc/token',
    userinfoPath: '/oidc/userinfo',
    authorizationPath: '/oidc/auth',
    client,
    accounts: [account],
    loginPages: ['password'],
  };
  ctx = { base: new URL(baseline.baseUrl), request: http.request, fixtures };
});

after(async () => {
  http?.close();
  await baseline?.stop();
});

test("the bare library's login passes one page and ends in a code exchange with an ID token", async () => {
  const { tokens, pages } = await fullLogin(ctx, account, '10.1.2.3');
  assert.deepEqual(pages, ['password']);
  assert.ok(tokens.id_token && tokens.access_token);
  const claims = JSON.parse(Buffer.from(tokens.id_token.split('.')[1] ?? '', 'base64url').toString()) as {
    sub: string;
  };
  assert.equal(claims.sub, account.username);
});

test("the bare library's login refuses a wrong password and issues no code", async () => {
  await assert.rejects(fullLogin(ctx, { ...account, password: 'wrong' }, '10.1.2.3'), /\/password answered 401/);
  // The form itself answers 401 with the page again, not a redirect.
  const browser = new Browser(ctx.base, http.request);
  const start = new URL('/oidc/auth', ctx.base);
  start.search = new URLSearchParams({
    client_id: client.id,
    redirect_uri: client.redirectUri,
    response_type: 'code',
    scope: 'openid',
    code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    code_challenge_method: 'S256',
  }).toString();
  const page = await browser.visit(start);
  const form = findForm(page.response.body, (_tag, action) => action.endsWith('/password'));
  assert.ok(form, 'the login page has its form');
  const refused = await browser.send(
    new URL(form.action, ctx.base),
    'POST',
    formBody({ username: account.username, password: 'wrong' }),
  );
  assert.equal(refused.status, 401);
  assert.equal(refused.headers.location, undefined);
});
