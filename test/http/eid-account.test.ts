// Registering with the eID, linking it to a password account (side-by-side page), a new card, refreshing
// the data and blocking a card (docs/eid-design-notes.md §6), through the built-in simulator.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { generate } from 'otplib';
import type { TestCardId } from '../../src/dev/eid-simulator/cards.ts';
import { housekeeping } from '../../src/platform/jobs/housekeeping.ts';
import { readCardAt } from '../helpers/eid-card.ts';
import {
  Browser,
  buildTestApp,
  followRedirects,
  goodPassword,
  linkFrom,
  login,
  registerVerified,
  type TestApp,
} from '../helpers/test-app.ts';

const field = (body: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(body)?.[1] ?? '';
const binding = 'sk_eid';

async function count(
  t: TestApp,
  table: 'accounts' | 'eid_links' | 'eid_transactions' | 'identity_attributes',
): Promise<number> {
  return Number((await t.app.db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]?.n ?? 0);
}

async function counts(t: TestApp) {
  return {
    accounts: await count(t, 'accounts'),
    links: await count(t, 'eid_links'),
    attributes: await count(t, 'identity_attributes'),
  };
}

async function attributesOf(t: TestApp, accountId: string) {
  const rows = await t.app.db.query<{
    name: string;
    value: string;
    trust_level: number;
    source: string;
    verified_at: Date | null;
    evidence: Record<string, string> | null;
  }>('SELECT name, value, trust_level, source, verified_at, evidence FROM identity_attributes WHERE account_id = $1', [
    accountId,
  ]);
  return new Map(rows.rows.map((r) => [r.name, r]));
}

async function latestSession(t: TestApp, accountId: string) {
  const rows = await t.app.db.query<{ level: number; amr: string[]; method: string }>(
    'SELECT level, amr, method FROM sso_sessions WHERE account_id = $1 ORDER BY auth_time DESC, created_at DESC LIMIT 1',
    [accountId],
  );
  return rows.rows[0];
}

async function auditActions(t: TestApp, prefix: string) {
  const rows = await t.app.db.query<{ action: string; details: Record<string, unknown> }>(
    'SELECT action, details FROM audit_events WHERE action LIKE $1 ORDER BY id',
    [`${prefix}%`],
  );
  return rows.rows;
}

/** The card read at /register/eid: the form with the data read. */
async function registrationForm(
  t: TestApp,
  browser: Browser,
  card: TestCardId,
  query = '',
): Promise<LightMyRequestResponse> {
  return readCardAt(browser, `/register/eid${query}`, card);
}

function completeForm(page: LightMyRequestResponse, values: Record<string, string>): Record<string, string> {
  return {
    _csrf: field(page.body, '_csrf'),
    transaction: field(page.body, 'transaction'),
    ref: field(page.body, 'ref'),
    terms: 'yes',
    ...values,
  };
}

async function registerWithCard(
  t: TestApp,
  browser: Browser,
  card: TestCardId,
  email: string,
  username = '',
): Promise<string> {
  const page = await registrationForm(t, browser, card);
  assert.equal(page.statusCode, 200, page.body);
  const done = await browser.post('/register/eid/complete', completeForm(page, { email, username }));
  assert.equal(done.statusCode, 303, done.body);
  const account = await t.app.accounts.byLogin(email);
  assert.ok(account);
  return account.id;
}

/** A password account with typed-in data, logged in in `browser`. */
async function passwordAccount(
  t: TestApp,
  browser: Browser,
  username: string,
  email: string,
  typed: Record<string, string>,
): Promise<string> {
  await registerVerified(t, browser, username, email);
  assert.equal((await login(browser, username)).statusCode, 303);
  const _csrf = await browser.csrf('/account');
  assert.equal((await browser.post('/account/profile', { _csrf, ...typed })).statusCode, 303);
  return (await t.app.accounts.byLogin(username))?.id ?? '';
}

/** Reads the card on "Mein Konto" and confirms the side-by-side page. */
async function linkCard(
  browser: Browser,
  card: TestCardId,
  extra: Record<string, string> = {},
  path = '/account/eid',
): Promise<{ compare: LightMyRequestResponse; done: LightMyRequestResponse }> {
  const compare = await readCardAt(browser, path, card);
  assert.equal(compare.statusCode, 200, compare.body);
  const done = await browser.post('/account/eid/confirm', completeForm(compare, extra));
  return { compare, done };
}

test('registering with erika: level-4 data from the card, the link, an eID session; the address is confirmed later', async () => {
  const t = await buildTestApp();
  const browser = new Browser(t.fastify);
  const offer = await browser.get('/register');
  assert.equal(offer.statusCode, 200);
  const page = await registrationForm(t, browser, 'erika');
  assert.equal(page.statusCode, 200, page.body);
  for (const shown of ['Erika', 'Mustermann', '1964-08-12', 'Heidestraße 17', '51147', 'Köln', 'Personalausweis'])
    assert.ok(page.body.includes(shown), `the form shows ${shown}`);
  assert.match(page.body, /action="\/register\/eid\/complete"/);

  const done = await browser.post(
    '/register/eid/complete',
    completeForm(page, { email: 'erika@example.org', username: '' }),
  );
  assert.equal(done.statusCode, 303, done.body);
  assert.equal(done.headers.location, '/account');
  const account = await t.app.accounts.byLogin('erika@example.org');
  assert.ok(account);
  assert.match(account.username, /^konto-[a-z0-9]{4,}$/, 'a generated username');
  assert.equal(account.emailVerifiedAt, null, 'the address is not confirmed yet');

  const attrs = await attributesOf(t, account.id);
  const expected: Record<string, string> = {
    given_name: 'Erika',
    family_name: 'Mustermann',
    birthdate: '1964-08-12',
    street_address: 'Heidestraße 17',
    postal_code: '51147',
    locality: 'Köln',
    country: 'DE',
    nationality: 'DE',
    place_of_birth: 'Berlin',
    birth_family_name: 'Gabler',
  };
  for (const [name, value] of Object.entries(expected)) {
    const attr = attrs.get(name);
    assert.equal(attr?.value, value, name);
    assert.equal(attr?.trust_level, 4, name);
    assert.equal(attr?.source, 'eid', name);
  }
  assert.equal(attrs.get('given_name')?.evidence?.document, 'idcard');
  assert.equal((await t.app.eid?.links.forAccount(account.id))?.length, 1);
  assert.deepEqual(await latestSession(t, account.id), { level: 4, amr: ['sc', 'pin', 'mfa'], method: 'eid' });
  const [audit] = await auditActions(t, 'register.eid');
  assert.deepEqual(audit?.details, { document: 'idcard', eid_type: 'CardCertified' });
  assert.doesNotMatch(
    JSON.stringify(await t.app.db.query("SELECT details FROM audit_events WHERE action = 'register.eid'")),
    /Erika|Mustermann|1964/,
    'no personal data in the audit trail',
  );

  // The double opt-in mail went out; the account page already works in the eID session.
  await t.app.jobs.runDue();
  const mail = t.mails.findLast((m) => m.to === 'erika@example.org');
  assert.match(mail?.text ?? '', new RegExp(account.username));
  assert.match(linkFrom(mail), /^\/verify-email\?token=/);
  assert.match((await browser.get('/account/profile')).body, /Vom Online-Ausweis, gelesen am/);
  const accountPage = await browser.get('/account/security');
  assert.equal(accountPage.statusCode, 200);
  assert.match(accountPage.body, /id="eid-section"/);
  assert.match(accountPage.body, /<h3 class="kern-title" id="eid-card-0">Personalausweis<\/h3>/);

  // The eID login works before the address is confirmed.
  const again = await readCardAt(new Browser(t.fastify), '/login/eid', 'erika');
  assert.equal(again.statusCode, 303);
  assert.equal((await latestSession(t, account.id))?.method, 'eid');
  await t.close();
});

test('a card registration whose address is never confirmed expires like every unconfirmed registration; the card may register again', async () => {
  const t = await buildTestApp();
  const accountId = await registerWithCard(t, new Browser(t.fastify), 'erika', 'victim@example.org', 'squatter');
  assert.ok((await count(t, 'eid_transactions')) > 0, 'the reading is kept while it may still be fetched');
  t.clock.advance(6 * 24 * 3600_000);
  await housekeeping(t.app);
  assert.ok(await t.app.accounts.byId(accountId), 'kept within the week');
  assert.equal(await count(t, 'eid_transactions'), 0, "the eID method's housekeeping deleted the expired reading");
  t.clock.advance(2 * 24 * 3600_000);
  await housekeeping(t.app);
  assert.equal(await t.app.accounts.byId(accountId), undefined, 'deleted after a week without confirmation');
  assert.equal(await count(t, 'eid_links'), 0, 'the card link went with it');
  assert.equal(await count(t, 'identity_attributes'), 0, 'and the data read from the card');
  assert.ok(
    await registerWithCard(t, new Browser(t.fastify), 'erika', 'erika@example.org'),
    'the card registers again',
  );
  await t.close();
});

test('an unconfirmed card account from before the rule (migration 0008) gets a week from the upgrade', async () => {
  const t = await buildTestApp();
  const accountId = await registerWithCard(t, new Browser(t.fastify), 'erika', 'old@example.org');
  await t.app.db.query("UPDATE accounts SET created_at = $2::timestamptz - interval '90 days' WHERE id = $1", [
    accountId,
    t.clock.now(),
  ]);
  await t.app.db.query(
    "UPDATE schema_migrations SET applied_at = $1::timestamptz - interval '6 days' WHERE version = '0008_unconfirmed_addresses_free'",
    [t.clock.now()],
  );
  await housekeeping(t.app);
  assert.ok(await t.app.accounts.byId(accountId), 'kept in the first week after the upgrade');
  t.clock.advance(2 * 24 * 3600_000);
  await housekeeping(t.app);
  assert.equal(await t.app.accounts.byId(accountId), undefined);
  await t.close();
});

test('the same card cannot register twice; no-address stores no address; the residence permit is evidenced as such', async () => {
  const t = await buildTestApp();
  await registerWithCard(t, new Browser(t.fastify), 'erika', 'erika@example.org', 'erika.m');
  const before = await counts(t);
  const twice = await registrationForm(t, new Browser(t.fastify), 'erika');
  assert.equal(twice.statusCode, 409);
  assert.match(twice.body, /Für diesen Ausweis gibt es schon ein Servicekonto/);
  assert.match(twice.body, /href="\/login\/eid"/);
  assert.deepEqual(await counts(t), before);

  const abroad = await registerWithCard(t, new Browser(t.fastify), 'no-address', 'jonas@example.org', 'jonas');
  const abroadAttrs = await attributesOf(t, abroad);
  assert.equal(abroadAttrs.get('family_name')?.value, 'Auslandsdeutscher');
  for (const name of ['street_address', 'postal_code', 'locality', 'country'])
    assert.equal(abroadAttrs.has(name), false, `${name} is not stored`);

  const permit = await registerWithCard(t, new Browser(t.fastify), 'permit', 'olena@example.org');
  const permitAttrs = await attributesOf(t, permit);
  assert.equal(permitAttrs.get('given_name')?.evidence?.document, 'residence-permit');
  assert.equal(permitAttrs.get('nationality')?.value, 'UA');
  assert.equal((await t.app.eid?.links.forAccount(permit))?.[0]?.documentType, 'AR');
  await t.close();
});

test('registering from an OIDC login goes back to the service with the new eID session', async () => {
  const t = await buildTestApp();
  const redirectUri = 'https://service.example/callback';
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
  const browser = new Browser(t.fastify);
  const verifier = randomBytes(32).toString('base64url');
  const query = new URLSearchParams({
    client_id: 'tax',
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: 'openid profile',
    state: 's',
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  });
  const choice = await followRedirects(browser, `/oidc/auth?${query}`);
  const base = new URL(choice.finalUrl, 'http://localhost:3000').pathname;
  assert.match(base, /^\/interaction\/[\w-]+$/);
  // An unknown card read at hoch: the registration form with the data read, no second reading (issue 15 point 7).
  const page = await readCardAt(browser, `${base}/eid`, 'erika');
  assert.equal(page.statusCode, 200, page.body);
  assert.match(page.body, /Sie brauchen die PIN nicht noch einmal/);
  const done = await browser.post('/register/eid/complete', completeForm(page, { email: 'erika@example.org' }));
  assert.equal(done.statusCode, 303);
  assert.equal(done.headers.location, base);
  const next = await followRedirects(browser, base);
  // The consent page or the service itself: the login is done either way.
  assert.ok(
    next.finalUrl.startsWith(redirectUri) || /consent/.test(next.body),
    `continued the interaction: ${next.finalUrl}`,
  );
  await t.close();
});

test('hostile completions: bad CSRF, no binding cookie, a foreign, used or expired reading store nothing', async () => {
  const t = await buildTestApp();
  const empty = await counts(t);
  const browser = new Browser(t.fastify);
  const page = await registrationForm(t, browser, 'erika');
  const form = completeForm(page, { email: 'erika@example.org' });

  assert.equal((await browser.post('/register/eid/complete', { ...form, _csrf: 'forged' })).statusCode, 403);
  const invalid = await browser.post('/register/eid/complete', { ...form, email: 'not-an-address' });
  assert.equal(invalid.statusCode, 400);
  assert.match(invalid.body, /Mustermann/, 'the form comes back with the data read');
  const unticked = (await browser.post('/register/eid/complete', { ...form, terms: '' })).body;
  assert.match(unticked, /href="#terms">Bitte akzeptieren Sie die Nutzungsbedingungen/);

  // Another browser's reading: its transaction id with ours, or its whole pair without its cookie.
  const other = new Browser(t.fastify);
  const otherPage = await registrationForm(t, other, 'permit');
  const foreign = await browser.post('/register/eid/complete', {
    ...form,
    transaction: field(otherPage.body, 'transaction'),
  });
  assert.equal(foreign.statusCode, 400);
  assert.match(foreign.body, /abgelaufen/);
  const stolen = await browser.post('/register/eid/complete', {
    ...form,
    transaction: field(otherPage.body, 'transaction'),
    ref: field(otherPage.body, 'ref'),
  });
  assert.equal(stolen.statusCode, 400);
  assert.match(stolen.body, /ersten Browser/);
  const cookie = browser.cookies.get(binding);
  browser.cookies.delete(binding);
  const noCookie = await browser.post('/register/eid/complete', form);
  assert.equal(noCookie.statusCode, 400);
  assert.match(noCookie.body, /ersten Browser/);
  assert.deepEqual(await counts(t), empty, 'nothing stored so far');

  if (cookie) browser.cookies.set(binding, cookie);
  assert.equal((await browser.post('/register/eid/complete', form)).statusCode, 303);
  const once = await counts(t);
  const used = await browser.post('/register/eid/complete', { ...form, email: 'second@example.org' });
  assert.equal(used.statusCode, 400, 'a reading counts once');
  assert.deepEqual(await counts(t), once);

  // A reading older than the transaction's lifetime (10 minutes) is gone.
  const late = await registrationForm(t, other, 'no-address');
  t.clock.advance(11 * 60_000);
  const expired = await other.post('/register/eid/complete', completeForm(late, { email: 'late@example.org' }));
  assert.equal(expired.statusCode, 400);
  assert.match(expired.body, /abgelaufen/);
  assert.deepEqual(await counts(t), once);
  await t.close();
});

test('linking erika to a password account: the side-by-side table, then level-4 data; typed data the card lacks stay', async () => {
  const t = await buildTestApp();
  const browser = new Browser(t.fastify);
  const accountId = await passwordAccount(t, browser, 'erika.m', 'erika@example.org', {
    given_name: 'Erika',
    family_name: 'Musterfrau',
    birthdate: '1964-08-12',
    phone_number: '+49 211 123456',
  });
  const before = await counts(t);
  const accountPage = await browser.get('/account/security');
  assert.match(accountPage.body, /href="\/account\/eid"/);

  const compare = await readCardAt(browser, '/account/eid', 'erika');
  assert.equal(compare.statusCode, 200, compare.body);
  assert.match(compare.body, /<table class="kern-table">/);
  assert.match(compare.body, /<caption[^>]*>Ihre bisherigen Angaben und die Daten vom Ausweis<\/caption>/);
  assert.match(
    compare.body,
    /<th scope="col" class="kern-table__header">Ihre Angabe<\/th>\s*<th scope="col" class="kern-table__header">Auf dem Ausweis<\/th>\s*<th scope="col" class="kern-table__header">Status<\/th>/,
  );
  const row = (label: string) =>
    new RegExp(`<th scope="row" class="kern-table__header">${label}</th>[\\s\\S]*?</tr>`).exec(compare.body)?.[0] ?? '';
  assert.match(row('Familienname'), /Musterfrau[\s\S]*Mustermann[\s\S]*abweichend/);
  assert.match(row('Vorname\\(n\\)'), /gleich/);
  assert.match(row('Ort'), /keine Angabe[\s\S]*Köln[\s\S]*neu/);
  assert.match(row('Telefonnummer'), /bleibt \(nicht auf dem Ausweis\)/);
  assert.match(compare.body, /Die Daten vom Ausweis ersetzen Ihre Angaben/);
  assert.deepEqual(await counts(t), before, 'the page stores nothing');

  // "Abbrechen" is a link back: nothing is stored.
  assert.match(compare.body, /<a class="kern-link" href="\/account\/security">Abbrechen, nichts speichern<\/a>/);
  // Hostile confirmations store nothing either.
  assert.equal(
    (await browser.post('/account/eid/confirm', { ...completeForm(compare, {}), _csrf: 'forged' })).statusCode,
    403,
  );
  assert.equal(
    (await browser.post('/account/eid/confirm', { ...completeForm(compare, {}), transaction: 'someone-elses' }))
      .statusCode,
    400,
  );
  const cookie = browser.cookies.get(binding) ?? '';
  browser.cookies.delete(binding);
  assert.equal((await browser.post('/account/eid/confirm', completeForm(compare, {}))).statusCode, 400);
  browser.cookies.set(binding, cookie);
  assert.deepEqual(await counts(t), before);
  const done = await browser.post('/account/eid/confirm', completeForm(compare, {}));
  assert.equal(done.statusCode, 200, done.body);
  assert.match(done.body, /Ihr Online-Ausweis ist verbunden/);
  const attrs = await attributesOf(t, accountId);
  assert.equal(attrs.get('family_name')?.value, 'Mustermann');
  assert.equal(attrs.get('family_name')?.trust_level, 4);
  assert.equal(attrs.get('locality')?.value, 'Köln');
  assert.equal(attrs.get('phone_number')?.trust_level, 1, 'typed data the card lacks stay at level 1');
  assert.equal((await t.app.eid?.links.forAccount(accountId))?.length, 1);
  assert.deepEqual(
    (await auditActions(t, 'eid.')).map((a) => a.action),
    ['eid.linked'],
  );
  await t.app.jobs.runDue();
  assert.match(
    t.mails.findLast((m) => m.to === 'erika@example.org')?.text ?? '',
    /ein Anmeldemittel hinzugefügt: Online-Ausweis/,
    'the owner hears of the new means (issue 13, point 2c)',
  );
  assert.deepEqual(await latestSession(t, accountId), { level: 4, amr: ['sc', 'pin', 'mfa'], method: 'eid' });
  const again = await browser.post('/account/eid/confirm', completeForm(compare, {}));
  assert.equal(again.statusCode, 400, 'the confirmation counts once');
  await t.close();
});

test('a card linked to another account is refused and audited; nothing changes', async () => {
  const t = await buildTestApp();
  await registerWithCard(t, new Browser(t.fastify), 'erika', 'erika@example.org', 'erika.eid');
  const browser = new Browser(t.fastify);
  const accountId = await passwordAccount(t, browser, 'someone', 'someone@example.org', { given_name: 'Max' });
  const before = await counts(t);
  const refused = await readCardAt(browser, '/account/eid', 'erika');
  assert.equal(refused.statusCode, 409);
  assert.match(refused.body, /Dieser Ausweis gehört zu einem anderen Servicekonto/);
  assert.deepEqual(await counts(t), before);
  assert.equal((await attributesOf(t, accountId)).get('given_name')?.value, 'Max');
  const [audit] = await auditActions(t, 'eid.link_refused');
  assert.deepEqual(audit?.details, { purpose: 'link', reason: 'linked_elsewhere' });
  await t.close();
});

test('after linking, password + TOTP reaches substanziell (level 3) in a stand-alone login', async () => {
  const t = await buildTestApp();
  const browser = new Browser(t.fastify);
  const accountId = await passwordAccount(t, browser, 'erika.m', 'erika@example.org', {
    given_name: 'Erika',
    family_name: 'Mustermann',
  });
  const setup = await browser.get('/account/totp/setup');
  const secret = (/<code class="secret">([^<]+)<\/code>/.exec(setup.body)?.[1] ?? '').replace(/\s/g, '');
  const code = () => generate({ secret, epoch: Math.floor(t.clock.now().getTime() / 1000) });
  assert.equal(
    (await browser.post('/account/totp/setup', { _csrf: field(setup.body, '_csrf'), code: await code() })).statusCode,
    200,
  );
  assert.equal((await latestSession(t, accountId))?.level, 1, 'typed data cap password + TOTP at level 1');

  const { done } = await linkCard(browser, 'erika');
  assert.equal(done.statusCode, 200, done.body);
  assert.equal((await attributesOf(t, accountId)).get('family_name')?.trust_level, 4);

  t.clock.advance(60_000);
  const fresh = new Browser(t.fastify);
  assert.equal((await login(fresh, 'erika.m', goodPassword)).statusCode, 303);
  assert.equal((await latestSession(t, accountId))?.level, 2, 'the password alone: niedrig');
  const confirm = await fresh.get('/account/confirm');
  assert.equal(confirm.headers.location, '/account/confirm/totp');
  const _csrf = await fresh.csrf('/account/confirm/totp');
  const raised = await fresh.post('/account/confirm/totp', { _csrf, code: await code() });
  assert.equal(raised.statusCode, 303, raised.body);
  const session = await latestSession(t, accountId);
  assert.equal(session?.level, 3, 'password + TOTP on level-4 identity data: substanziell');
  assert.deepEqual(session?.amr, ['pwd', 'otp', 'mfa']);
  await t.close();
});

test('changing the card links needs a session at the account maximum', async () => {
  const t = await buildTestApp();
  const browser = new Browser(t.fastify);
  await passwordAccount(t, browser, 'erika.m', 'erika@example.org', {});
  const setup = await browser.get('/account/totp/setup');
  const secret = (/<code class="secret">([^<]+)<\/code>/.exec(setup.body)?.[1] ?? '').replace(/\s/g, '');
  await browser.post('/account/totp/setup', {
    _csrf: field(setup.body, '_csrf'),
    code: await generate({ secret, epoch: Math.floor(t.clock.now().getTime() / 1000) }),
  });
  const weak = new Browser(t.fastify);
  await login(weak, 'erika.m');
  const handOver = await weak.get('/account/eid');
  assert.equal(handOver.statusCode, 303);
  assert.equal(handOver.headers.location, '/account/confirm');
  assert.doesNotMatch((await weak.get('/account')).body, /href="\/account\/eid\/eid"/);
  const _csrf = await weak.csrf('/account');
  const block = await weak.post('/account/eid/block', { _csrf, link_id: '00000000-0000-4000-8000-000000000000' });
  assert.equal(block.statusCode, 403);
  assert.equal(
    (await new Browser(t.fastify).get('/account/eid')).headers.location,
    '/login?return=/account',
    'no session: log in first',
  );
  await t.close();
});

test("a new card of the same holder is linked at once; a new family name needs the express confirmation; another person's card is refused", async () => {
  const t = await buildTestApp();
  const browser = new Browser(t.fastify);
  const accountId = await registerWithCard(t, browser, 'erika', 'erika@example.org', 'erika.m');
  // The verified family name was the birth name (before a marriage): the new Smart-eID says Mustermann.
  await t.app.attributes.setVerified(
    accountId,
    { family_name: 'Gabler' },
    { source: 'clerk', level: 4, at: t.clock.now(), evidence: { document: 'idcard' } },
  );
  const before = await counts(t);
  const compare = await readCardAt(browser, '/account/eid', 'smart-eid');
  assert.equal(compare.statusCode, 200);
  assert.match(compare.body, /weichen von den bestätigten Daten Ihres Servicekontos ab/);
  assert.match(compare.body, /name="really" value="yes"/);
  const unconfirmed = await browser.post('/account/eid/confirm', completeForm(compare, {}));
  assert.equal(unconfirmed.statusCode, 400);
  assert.match(unconfirmed.body, /Bitte bestätigen Sie, dass es Ihr Ausweis ist/);
  assert.deepEqual(await counts(t), before);
  const confirmed = await browser.post('/account/eid/confirm', completeForm(unconfirmed, { really: 'yes' }));
  assert.equal(confirmed.statusCode, 200, confirmed.body);
  assert.equal((await attributesOf(t, accountId)).get('family_name')?.value, 'Mustermann');
  const links = (await t.app.eid?.links.forAccount(accountId)) ?? [];
  assert.deepEqual(
    links.map((l) => l.eidType),
    ['CardCertified', 'SECertified'],
  );
  assert.match((await browser.get('/account/security')).body, /Smart-eID auf dem Smartphone/);
  assert.deepEqual(
    (await auditActions(t, 'eid.card_added')).map((a) => a.details.data_changed ?? false),
    [true],
  );

  // Another person's card (Olena's residence permit) never replaces data verified at hoch.
  const afterLink = await counts(t);
  const other = await readCardAt(browser, '/account/eid', 'permit');
  assert.equal(other.statusCode, 409);
  assert.match(other.body, /gehört zu einer anderen Person/);
  assert.deepEqual(await counts(t), afterLink);
  assert.equal((await attributesOf(t, accountId)).get('given_name')?.value, 'Erika');
  assert.deepEqual(
    (await auditActions(t, 'eid.link_refused')).map((a) => a.details.reason),
    ['other_holder'],
  );
  await t.close();
});

test('with a live card, a password session cannot link another card or block one', async () => {
  const t = await buildTestApp();
  const browser = new Browser(t.fastify);
  const accountId = await registerWithCard(t, browser, 'erika', 'erika@example.org', 'erika.m');
  const _csrf = await browser.csrf('/account');
  assert.equal(
    (await browser.post('/account/password', { _csrf, new_password: 'Zwei Katzen schlafen auf dem Sofa' })).statusCode,
    303,
  );
  const account = await t.app.accounts.byId(accountId);
  assert.ok(account);
  await t.app.accounts.markEmailVerified(accountId, t.clock.now());
  const phished = new Browser(t.fastify);
  assert.equal((await login(phished, 'erika.m')).statusCode, 303);
  const handOver = await phished.get('/account/eid');
  assert.equal(handOver.statusCode, 403);
  assert.match(handOver.body, /Mit Online-Ausweis anmelden/);
  const [link] = (await t.app.eid?.links.forAccount(accountId)) ?? [];
  assert.ok(link);
  const block = await phished.post('/account/eid/block', { _csrf: await phished.csrf('/account'), link_id: link.id });
  assert.equal(block.statusCode, 403);
  assert.equal(
    ((await t.app.eid?.links.forAccount(accountId)) ?? [])[0]?.blockedAt,
    undefined,
    'the card stays linked',
  );
  await t.close();
});

test('refreshing: the linked card gives a new verified_at; an unlinked card of someone else is refused', async () => {
  const t = await buildTestApp();
  const browser = new Browser(t.fastify);
  const accountId = await registerWithCard(t, browser, 'erika', 'erika@example.org', 'erika.m');
  const first = (await attributesOf(t, accountId)).get('family_name')?.verified_at;
  t.clock.advance(60_000);
  const { compare, done } = await linkCard(browser, 'erika', {}, '/account/refresh/eid');
  assert.match(compare.body, /gleich/);
  assert.doesNotMatch(compare.body, /abweichend/);
  assert.equal(done.statusCode, 200, done.body);
  assert.match(done.body, /Ihre Daten sind mit dem Ausweis aktualisiert/);
  const refreshed = (await attributesOf(t, accountId)).get('family_name')?.verified_at;
  assert.ok(first && refreshed && new Date(refreshed).getTime() > new Date(first).getTime(), 'a new verified_at');
  assert.deepEqual(
    (await auditActions(t, 'eid.refreshed')).map((a) => a.details.new_card),
    [false],
  );

  const before = await counts(t);
  const other = await readCardAt(browser, '/account/refresh/eid', 'permit');
  assert.equal(other.statusCode, 409);
  assert.match(other.body, /nicht mit Ihrem Servicekonto verbunden/);
  assert.deepEqual(await counts(t), before);
  await t.close();
});

test('blocking a card: listed as blocked, and the eID login with it is refused (403)', async () => {
  const t = await buildTestApp();
  const browser = new Browser(t.fastify);
  const accountId = await registerWithCard(t, browser, 'erika', 'erika@example.org', 'erika.m');
  const [link] = (await t.app.eid?.links.forAccount(accountId)) ?? [];
  assert.ok(link);
  // A service's refresh token from an earlier login: it must not outlive the block (issue 13, point 7).
  await t.app.db.query(
    "INSERT INTO oidc_payloads (model, id, payload, account_id, client_id) VALUES ('RefreshToken', 'rt-1', '{}', $1, 'a-service')",
    [accountId],
  );
  const _csrf = await browser.csrf('/account');
  assert.equal((await browser.post('/account/eid/block', { _csrf, link_id: 'not-a-uuid' })).statusCode, 400);
  assert.equal((await browser.post('/account/eid/block', { _csrf: 'forged', link_id: link.id })).statusCode, 403);
  const blocked = await browser.post('/account/eid/block', { _csrf, link_id: link.id });
  assert.equal(blocked.statusCode, 200, blocked.body);
  assert.match(blocked.body, /Der Ausweis ist für Ihr Servicekonto gesperrt/);
  assert.equal((await browser.post('/account/eid/block', { _csrf, link_id: link.id })).statusCode, 400, 'blocked once');
  assert.match((await browser.get('/account/security')).body, /Gesperrt am/);
  assert.deepEqual((await auditActions(t, 'eid.blocked')).length, 1);
  assert.equal(
    (await t.app.db.query("SELECT 1 FROM oidc_payloads WHERE model = 'RefreshToken' AND account_id = $1", [accountId]))
      .rowCount,
    0,
    "the services' tokens are revoked",
  );

  const login = await readCardAt(new Browser(t.fastify), '/login/eid', 'erika');
  assert.equal(login.statusCode, 403);
  // Another account cannot block this account's card.
  const stranger = new Browser(t.fastify);
  const strangerId = await registerWithCard(t, stranger, 'permit', 'olena@example.org', 'olena');
  const [own] = (await t.app.eid?.links.forAccount(strangerId)) ?? [];
  const strangerCsrf = await stranger.csrf('/account');
  assert.equal((await stranger.post('/account/eid/block', { _csrf: strangerCsrf, link_id: link.id })).statusCode, 400);
  assert.equal(own?.blockedAt, undefined);
  await t.close();
});
