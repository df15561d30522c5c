import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config/load.ts';
import type { AppContext } from '../../src/context.ts';
import { stepUpHead } from '../../src/flows/step-up/page.ts';
import { raiseSession } from '../../src/flows/step-up/raise.ts';
import type { AuthenticationMethod } from '../../src/methods/method.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import type { Database } from '../../src/platform/db/database.ts';
import { migrate } from '../../src/platform/db/migrate.ts';
import { createPgliteDatabase } from '../../src/platform/db/pglite.ts';
import { readForm } from '../../src/platform/http/forms.ts';
import { button, csrfField } from '../../src/web/components.ts';
import { html } from '../../src/web/html.ts';
import { pageContext, sendPage } from '../../src/web/page.ts';
import { Browser, followRedirects, login, registerVerified, type TestApp } from '../helpers/test-app.ts';

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
  title: 'means.title',
  available: true,
  stepUpRoutes: (app, scope) => async (fastify) => {
    fastify.get<{ Params: { uid?: string } }>(`${scope.prefix}/fixed-code`, async (request, reply) => {
      const state = await scope.load(request, reply);
      const p = pageContext(app, request, reply);
      const body = html`${stepUpHead(p, state)}<form method="post" action="${state.base}/fixed-code">${csrfField(p.csrfToken)}<input name="code">${button('OK')}</form>`;
      return sendPage(reply, p, 'fixed code', body);
    });
    fastify.post<{ Params: { uid?: string } }>(`${scope.prefix}/fixed-code`, async (request, reply) => {
      const form = readForm(request.body);
      app.csrf.verify(request, form._csrf);
      const state = await scope.load(request, reply);
      const row = await app.db.query<{ level: 3 }>("SELECT level FROM authentication_means WHERE account_id = $1 AND kind = 'fixed-code' AND secret = $2", [state.session.accountId, form.code ?? '']);
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
  const { config } = loadConfig({ LOG_LEVEL: 'silent', ARGON2_MEMORY_KIB: '1024', ARGON2_TIME_COST: '1', START_EXAMPLE: 'false' });
  db = await createPgliteDatabase('memory://');
  await migrate(db);
  const clock = fixedClock(new Date());
  const mails: TestApp['mails'] = [];
  ({ fastify, app } = await buildApp({ config, db, clock, mailTransport: { send: async (m) => void mails.push(m), close: () => undefined }, methods: (list) => [...list, fixedCode] }));
  await fastify.ready();
  t = { fastify, app, clock, mails, close: async () => { await fastify.close(); await db.close(); } };
});
after(() => t.close());

test('a method registered by one line is counted as a second factor and confirms "Mein Konto" through its own step-up page', async () => {
  const browser = new Browser(fastify);
  await registerVerified(t, browser, 'erika.m', 'erika@example.org');
  const accountId = (await app.accounts.byLogin('erika.m'))?.id ?? '';
  await db.query("INSERT INTO authentication_means (account_id, kind, secret, level) VALUES ($1, 'fixed-code', '424242', 3)", [accountId]);
  await login(browser, 'erika.m');
  const start = await browser.get('/account/confirm?return=/account');
  assert.equal(start.statusCode, 303);
  assert.equal(start.headers.location, '/account/confirm/fixed-code', 'the only second factor is the new one');
  const _csrf = await browser.csrf('/account/confirm/fixed-code');
  assert.equal((await browser.post('/account/confirm/fixed-code', { _csrf, code: '000000' })).statusCode, 400);
  const done = await browser.post('/account/confirm/fixed-code', { _csrf, code: '424242' });
  assert.equal(done.statusCode, 303);
  assert.equal(done.headers.location, '/account', 'back to where the citizen was going');
  const sessions = await db.query<{ amr: string[] }>('SELECT amr FROM sso_sessions WHERE account_id = $1', [accountId]);
  assert.ok(sessions.rows.some((r) => r.amr.includes('mfa') && r.amr.includes('otp')), 'the session now has both factors (RFC 8176 mfa)');
  const account = await followRedirects(browser, '/account');
  assert.equal(account.statusCode, 200);
});
