// eID login through the built-in simulator (issue 6): the card is found by its link, the session is at
// hoch, and the RefreshAddress completes nothing without getResult's answer or in another browser.
import { createHash, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { restrictedIdentifier } from '../../src/dev/eid-simulator/restricted-id.ts';
import type { TestCardId } from '../../src/dev/eid-simulator/cards.ts';
import { fetchTcToken, paosRead, readCardAt, refreshPath, tcTokenUrlOf } from '../helpers/eid-card.ts';
import { Browser, buildTestApp, followRedirects, login, registerVerified, type TestApp } from '../helpers/test-app.ts';

async function accountWithCard(t: TestApp, cardId: TestCardId = 'erika'): Promise<string> {
  const username = await registerVerified(t, new Browser(t.fastify));
  const account = await t.app.accounts.byLogin(username);
  assert.ok(account && t.app.eid);
  await t.app.attributes.setVerified(
    account.id,
    { given_name: 'Erika', family_name: 'Mustermann', birthdate: '1964-08-12' },
    { source: 'eid', level: 4, at: t.clock.now(), evidence: { document: 'idcard' } },
  );
  assert.ok(
    await t.app.eid.links.link(account.id, {
      restrictedId: restrictedIdentifier(cardId, t.app.eid.config.sector),
      documentType: 'ID',
      eidType: 'CardCertified',
    }),
  );
  return account.id;
}

async function latestSession(t: TestApp) {
  const rows = await t.app.db.query<{ account_id: string; level: number; amr: string[]; method: string }>(
    'SELECT account_id, level, amr, method FROM sso_sessions ORDER BY auth_time DESC LIMIT 1',
  );
  return rows.rows[0];
}

test('a linked card logs in at hoch with method eid and RFC 8176 amr; the login page offers the eID', async () => {
  const t = await buildTestApp();
  const accountId = await accountWithCard(t);
  const browser = new Browser(t.fastify);
  const choice = await browser.get('/login');
  assert.match(choice.body, /href="\/login\/eid"/);
  const done = await readCardAt(browser, '/login/eid', 'erika');
  assert.equal(done.statusCode, 303, done.body);
  assert.equal(done.headers.location, '/account');
  assert.deepEqual(await latestSession(t), {
    account_id: accountId,
    level: 4,
    amr: ['sc', 'pin', 'mfa'],
    method: 'eid',
  });
  const audit = await t.app.db.query<{ details: { method: string } }>(
    "SELECT details FROM audit_events WHERE action = 'login' ORDER BY id DESC LIMIT 1",
  );
  assert.equal(audit.rows[0]?.details.method, 'eid');
  await t.close();
});

test('an unknown card offers registration; a blocked link refuses the login', async () => {
  const t = await buildTestApp();
  const accountId = await accountWithCard(t);
  const unknown = await readCardAt(new Browser(t.fastify), '/login/eid', 'permit');
  assert.equal(unknown.statusCode, 200);
  assert.match(unknown.body, /Zu diesem Ausweis gibt es noch kein Servicekonto/);
  assert.match(
    unknown.body,
    /<form method="post" action="\/register\/eid\/complete"/,
    'registration with this reading',
  );
  const eid = t.app.eid;
  assert.ok(eid);
  const [link] = await eid.links.forAccount(accountId);
  assert.ok(link && (await eid.links.block(accountId, link.id)));
  const blocked = await readCardAt(new Browser(t.fastify), '/login/eid', 'erika');
  assert.equal(blocked.statusCode, 403);
  assert.equal(await latestSession(t), undefined);
  await t.close();
});

test('each failing card gets its plain-language message and no session', async () => {
  const t = await buildTestApp();
  const cases: [TestCardId, RegExp][] = [
    ['expired', /abgelaufen/],
    ['revoked', /nicht angenommen/],
    ['pin-blocked', /PUK/],
  ];
  for (const [card, message] of cases) {
    const response = await readCardAt(new Browser(t.fastify), '/login/eid', card);
    assert.equal(response.statusCode, 400, card);
    assert.match(response.body, message, card);
    assert.match(response.body, /href="\/login\/eid"/, `${card}: try again`);
  }
  const cancelled = await readCardAt(new Browser(t.fastify), '/login/eid', 'erika', { cancel: true });
  assert.match(cancelled.body, /abgebrochen/);
  assert.equal(await latestSession(t), undefined);
  await t.close();
});

test('the TC token is served once; the RefreshAddress finishes only in the starting browser and only with a result', async () => {
  const t = await buildTestApp();
  await accountWithCard(t);
  const browser = new Browser(t.fastify);
  const page = await browser.get('/login/eid');
  const tcTokenUrl = tcTokenUrlOf(page.body);
  const { response, token } = await fetchTcToken(browser, tcTokenUrl);
  assert.match(String(response.headers['content-type']), /^text\/xml/);
  assert.ok(token);
  assert.equal((await fetchTcToken(browser, tcTokenUrl)).response.statusCode, 404, 'a second fetch is refused');
  // A forged success before the card was read: getResult says noResultYet, nothing happens.
  const forged = await browser.get(refreshPath(token.refreshAddress, { status: 'done', refresh: { major: 'ok' } }));
  assert.equal(forged.statusCode, 202);
  assert.match(forged.body, /noch gelesen/);
  assert.equal(await latestSession(t), undefined);
  const answer = await paosRead(browser, token, { cardId: 'erika' });
  // Another browser (the phone opened the RefreshAddress elsewhere) completes nothing.
  const elsewhere = await new Browser(t.fastify).get(refreshPath(token.refreshAddress, answer));
  assert.equal(elsewhere.statusCode, 400);
  assert.match(elsewhere.body, /ersten Browser/);
  assert.equal(await latestSession(t), undefined);
  const done = await browser.get(refreshPath(token.refreshAddress, answer));
  assert.equal(done.statusCode, 303);
  assert.equal((await latestSession(t))?.method, 'eid');
  // The reading is used once: a reload goes back to the start.
  const again = await browser.get(refreshPath(token.refreshAddress, answer));
  assert.equal(again.statusCode, 303);
  assert.equal(again.headers.location, '/login');
  await t.close();
});

test('a wrong PIN keeps the reading open with the tries left', async () => {
  const t = await buildTestApp();
  const browser = new Browser(t.fastify);
  const page = await browser.get('/login/eid');
  const { token } = await fetchTcToken(browser, tcTokenUrlOf(page.body));
  assert.ok(token);
  assert.deepEqual(await paosRead(browser, token, { cardId: 'erika', pin: '000000' }), {
    status: 'wrong-pin',
    triesLeft: 2,
  });
  await t.close();
});

test('OIDC: a service asking for high sends a password session to the eID; the ID token says acr high, amr sc pin mfa', async () => {
  const t = await buildTestApp();
  const accountId = await accountWithCard(t);
  const redirectUri = 'https://service.example/callback';
  const secret = 'a-client-secret-of-sufficient-length-123';
  await t.app.services.upsertOidc(
    {
      client_id: 'kfz',
      client_secret: secret,
      client_name: 'Kfz',
      redirect_uris: [redirectUri],
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: ['authorization_code'],
      response_types: ['code'],
    },
    'Kfz-Zulassung',
  );
  const browser = new Browser(t.fastify);
  await login(browser, 'erika.m');
  const verifier = randomBytes(32).toString('base64url');
  const query = new URLSearchParams({
    client_id: 'kfz',
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: 'openid profile',
    state: 's',
    acr_values: 'http://eidas.europa.eu/LoA/high',
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  });
  const page = await followRedirects(browser, `/oidc/auth?${query}`);
  const handOver = new URL(page.finalUrl, 'http://localhost:3000').pathname;
  assert.match(handOver, /^\/interaction\/[^/]+\/eid$/, 'the step-up to high is the eID');
  assert.match(page.body, /Kfz-Zulassung/);
  const returned = await readCardAt(browser, handOver, 'erika');
  assert.equal(returned.statusCode, 303, returned.body);
  const consent = await followRedirects(browser, String(returned.headers.location));
  const action = /action="(\/interaction\/[^"]+\/consent)"/.exec(consent.body)?.[1] ?? '';
  const csrf = /name="_csrf" value="([^"]+)"/.exec(consent.body)?.[1] ?? '';
  const posted = await browser.post(action, { _csrf: csrf });
  const done = await followRedirects(
    browser,
    new URL(String(posted.headers.location), 'http://localhost:3000').pathname +
      new URL(String(posted.headers.location), 'http://localhost:3000').search,
  );
  const code = new URL(done.finalUrl).searchParams.get('code') ?? '';
  const token = await t.fastify.inject({
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
      authorization: `Basic ${Buffer.from(`kfz:${secret}`).toString('base64')}`,
    },
  });
  assert.equal(token.statusCode, 200, token.body);
  const claims = JSON.parse(
    Buffer.from(token.json<{ id_token: string }>().id_token.split('.')[1] ?? '', 'base64url').toString(),
  ) as Record<string, unknown>;
  assert.equal(claims.acr, 'http://eidas.europa.eu/LoA/high');
  assert.deepEqual(claims.amr, ['sc', 'pin', 'mfa']);
  const userinfo = await t.fastify.inject({
    method: 'GET',
    url: '/oidc/userinfo',
    headers: { authorization: `Bearer ${token.json<{ access_token: string }>().access_token}` },
  });
  assert.equal(userinfo.json<{ given_name: string }>().given_name, 'Erika', 'the data verified at hoch');
  assert.equal((await latestSession(t))?.account_id, accountId);
  await t.close();
});

test('a locked account does not log in with its card', async () => {
  const t = await buildTestApp();
  const accountId = await accountWithCard(t);
  await t.app.db.query("UPDATE accounts SET state = 'locked' WHERE id = $1", [accountId]);
  const refused = await readCardAt(new Browser(t.fastify), '/login/eid', 'erika');
  assert.equal(refused.statusCode, 403);
  assert.match(refused.body, /gesperrt/);
  assert.equal(await latestSession(t), undefined);
  await t.close();
});

test('a reload while the result is being fetched waits instead of asking the eID-Server again', async () => {
  const t = await buildTestApp();
  await accountWithCard(t);
  const browser = new Browser(t.fastify);
  const page = await browser.get('/login/eid');
  const { token } = await fetchTcToken(browser, tcTokenUrlOf(page.body));
  assert.ok(token);
  const answer = await paosRead(browser, token, { cardId: 'erika' });
  const path = refreshPath(token.refreshAddress, answer);
  // Two requests at once (a reload, a second tab): one fetches the result, the other waits; neither fails.
  const [first, second] = await Promise.all([browser.get(path), browser.get(path)]);
  const statuses = [first.statusCode, second.statusCode].sort();
  assert.ok(statuses.includes(303), `one finishes the login: ${statuses.join(', ')}`);
  assert.ok(
    statuses.every((s) => s === 303 || s === 202),
    `the other waits or follows: ${statuses.join(', ')}`,
  );
  assert.equal((await latestSession(t))?.method, 'eid');
  await t.close();
});

/** The readings the simulated eID-Server made: one per PIN entry (a transaction that got a result). */
async function readings(t: TestApp): Promise<number> {
  const rows = await t.app.db.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM eid_transactions WHERE state IN ('done', 'used')",
  );
  return rows.rows[0]?.n ?? 0;
}

test('a first-time eID login at a service needs one PIN entry: registration with the data read, then back to the login', async () => {
  const t = await buildTestApp();
  try {
    await t.app.services.upsertOidc(
      {
        client_id: 'kita',
        client_secret: 'a-client-secret-of-sufficient-length-123',
        client_name: 'Kita',
        redirect_uris: ['https://service.example/callback'],
        token_endpoint_auth_method: 'client_secret_basic',
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
      'Elternbeiträge Online',
    );
    const browser = new Browser(t.fastify);
    const query = new URLSearchParams({
      client_id: 'kita',
      redirect_uri: 'https://service.example/callback',
      response_type: 'code',
      scope: 'openid profile',
      state: 's',
      code_challenge: createHash('sha256').update(randomBytes(32).toString('base64url')).digest('base64url'),
      code_challenge_method: 'S256',
      acr_values: 'http://eidas.europa.eu/LoA/high',
    });
    const choice = await followRedirects(browser, `/oidc/auth?${query}`);
    const base = choice.finalUrl;
    assert.match(base, /^\/interaction\/[^/]+$/);
    // The service needs hoch: the method that reaches it comes first (issue 15, point 7).
    const eidAt = choice.body.indexOf(`href="${base}/eid"`);
    assert.ok(eidAt > 0 && eidAt < choice.body.indexOf(`href="${base}/password"`), 'the eID before the password');

    const offer = await readCardAt(browser, `${base}/eid`, 'permit');
    assert.equal(offer.statusCode, 200, offer.body);
    assert.match(offer.body, /Sie brauchen die PIN nicht noch einmal/);
    assert.match(offer.body, /Kowalenko/i, 'the data read are shown');
    assert.match(offer.body, new RegExp(`href="${base}/password"`), 'or the password login, for an existing account');
    const field = (name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(offer.body)?.[1] ?? '';
    const form = { _csrf: field('_csrf'), transaction: field('transaction'), ref: field('ref'), terms: 'yes' };
    assert.match(offer.body, /name="terms"/, 'the terms of use are accepted here too');

    // Bound to this browser: the same form from another browser stores nothing.
    const elsewhere = new Browser(t.fastify);
    const foreign = await elsewhere.post('/register/eid/complete', {
      ...form,
      _csrf: await elsewhere.csrf('/register'),
      email: 'amara@example.org',
    });
    assert.equal(foreign.statusCode, 400);
    assert.equal(await t.app.accounts.byLogin('amara@example.org'), undefined);

    const created = await browser.post('/register/eid/complete', { ...form, email: 'amara@example.org' });
    assert.equal(created.statusCode, 303, created.body);
    assert.equal(created.headers.location, base, 'back to the waiting login');
    const consent = await followRedirects(browser, base);
    assert.match(consent.body, /erhält diese Daten/);
    assert.equal(await readings(t), 1, 'one reading, one PIN entry');

    const account = await t.app.accounts.byLogin('amara@example.org');
    assert.ok(account);
    const attributes = await t.app.attributes.forAccount(account.id);
    assert.equal(attributes.get('family_name')?.trustLevel, 4);
    assert.equal((await t.app.eid?.links.forAccount(account.id))?.length, 1);
    assert.deepEqual(await latestSession(t), {
      account_id: account.id,
      level: 4,
      amr: ['sc', 'pin', 'mfa'],
      method: 'eid',
    });
    // The reading counted once: the form again registers nothing.
    assert.equal((await browser.post('/register/eid/complete', { ...form, email: 'x@example.org' })).statusCode, 400);
  } finally {
    await t.close();
  }
});
