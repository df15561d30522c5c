import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import {
  Browser,
  buildTestApp,
  followRedirects,
  goodPassword,
  registerVerified,
  type TestApp,
} from '../helpers/test-app.ts';

const firefoxOnWindows = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0';
const safariOnIphone =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

/** Logs in with the password from a browser that says which it is. */
async function loginAs(browser: Browser, userAgent: string): Promise<void> {
  const _csrf = await browser.csrf('/login/password');
  const response = await browser.post(
    '/login/password',
    { _csrf, username: 'erika.m', password: goodPassword },
    { 'user-agent': userAgent },
  );
  assert.equal(response.statusCode, 303);
}

const csrfOf = (body: string) => /name="_csrf" value="([^"]+)"/.exec(body)?.[1] ?? '';
const handlesOn = (body: string) => [...body.matchAll(/name="session" value="([0-9a-f]{32})"/g)].map((m) => m[1] ?? '');

/** Issue 15, point 2: "Mein Konto" in sections, the active sessions and the login history. */
describe('Mein Konto in sections', () => {
  let t: TestApp;
  let desk: Browser;
  before(async () => {
    t = await buildTestApp();
    desk = new Browser(t.fastify);
    await registerVerified(t, desk, 'erika.m', 'erika@example.org');
    await loginAs(desk, firefoxOnWindows);
    await t.app.services.upsertOidc(
      {
        client_id: 'fees',
        client_secret: 'a-client-secret-of-sufficient-length-123',
        client_name: 'Elternbeiträge',
        redirect_uris: ['https://service.example/callback'],
        token_endpoint_auth_method: 'client_secret_basic',
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
      'Elternbeiträge Online',
      'Stadt Musterstadt',
    );
  });
  after(() => t.close());

  test('every section is its own page with the navigation, the current page marked', async () => {
    const sections: [string, string, RegExp][] = [
      ['/account', 'Mein Konto', /Ihr Konto erreicht das Vertrauensniveau „Basisregistrierung“/],
      ['/account/profile', 'Persönliche Daten', /action="\/account\/profile"/],
      ['/account/security', 'Anmeldung und Sicherheit', /action="\/account\/password"/],
      ['/account/sessions', 'Geräte und Anmeldungen', /Wo Sie angemeldet sind/],
      ['/account/services', 'Verbundene Dienste', /noch keinem Online-Dienst Daten freigegeben/],
      ['/account/data', 'Daten und Konto', /action="\/account\/delete"/],
    ];
    for (const [path, heading, content] of sections) {
      const page = await desk.get(path);
      assert.equal(page.statusCode, 200, path);
      assert.match(page.body, new RegExp(`<h1 class="kern-heading-large">${heading}</h1>`), path);
      assert.match(page.body, content, path);
      const nav = /<nav class="account-nav" aria-label="[^"]+">(.*?)<\/nav>/s.exec(page.body)?.[1] ?? '';
      assert.deepEqual(
        [...nav.matchAll(/href="([^"]+)" aria-current="page"/g)].map((m) => m[1]),
        [path],
        `${path}: exactly this page is marked current`,
      );
      assert.doesNotMatch(nav, /Postfach/, 'the postbox keeps its slot but is not offered yet');
      // One purpose each: no form of another section on the page.
      const actions = [...page.body.matchAll(/<form method="post" action="([^"]+)"/g)].map((m) => m[1]);
      if (path !== '/account/profile') assert.ok(!actions.includes('/account/profile'), path);
      if (path !== '/account/data') assert.ok(!actions.includes('/account/delete'), path);
    }
    assert.equal((await desk.get('/account/postbox')).statusCode, 404);
  });

  test('without a session every section sends the citizen to the login', async () => {
    for (const path of ['/account/profile', '/account/security', '/account/sessions', '/account/data']) {
      const response = await new Browser(t.fastify).get(path);
      assert.equal(response.statusCode, 303, path);
      assert.match(String(response.headers.location), /^\/login\?return=/, path);
    }
  });

  test('a form redirects back to its own page, and an error shows on that page, not on the overview', async () => {
    const _csrf = csrfOf((await desk.get('/account/data')).body);
    const refused = await desk.post('/account/delete', { _csrf, delete_password: 'not my password at all' });
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /<h1 class="kern-heading-large">Daten und Konto<\/h1>/);
    assert.match(refused.body, /aktuelle Passwort ist falsch/);
    const saved = await desk.post('/account/profile', { _csrf, locality: 'Köln' });
    assert.equal(saved.statusCode, 303);
    assert.equal(saved.headers.location, '/account/profile');
    const shown = await desk.follow(saved);
    assert.match(shown.body, /Ihre Angaben sind gespeichert/);
    assert.match(shown.body, /value="Köln"/);
    assert.doesNotMatch((await desk.get('/account/profile')).body, /Ihre Angaben sind gespeichert/, 'the notice once');
  });

  test('the sessions list names each device in words, marks this one, and ends another one', async () => {
    const phone = new Browser(t.fastify);
    await loginAs(phone, safariOnIphone);
    const tablet = new Browser(t.fastify);
    await loginAs(tablet, safariOnIphone);
    const page = await desk.get('/account/sessions');
    assert.match(page.body, /Firefox unter Windows/);
    assert.equal([...page.body.matchAll(/Safari unter iOS \(iPhone oder iPad\)/g)].length, 2);
    assert.equal([...page.body.matchAll(/kern-badge--info">Dieses Gerät/g)].length, 1, 'this device, once');
    assert.match(
      page.body,
      /Firefox unter Windows<\/h3><p class="kern-body"><span class="kern-badge kern-badge--info">Dieses Gerät/,
    );
    assert.match(page.body, /Angemeldet am/);
    assert.match(page.body, /Zuletzt genutzt am/);
    assert.doesNotMatch(page.body, /Nur mit Passwort angemeldet/, 'without a second factor the password is the login');
    const handles = handlesOn(page.body);
    assert.equal(handles.length, 2, 'an "Abmelden" for each other session, none for this one');
    assert.doesNotMatch(
      page.body,
      new RegExp((await t.app.db.query<{ id: string }>('SELECT id FROM sso_sessions LIMIT 1')).rows[0]?.id ?? 'x'),
      'never the stored id',
    );

    // Ending one: that browser's cookie no longer works, the others stay.
    assert.equal((await phone.get('/account/security')).statusCode, 200);
    const _csrf = csrfOf(page.body);
    const ended = await desk.post('/account/sessions/end', { _csrf, session: handles[0] ?? '' });
    assert.equal(ended.headers.location, '/account/sessions');
    assert.match((await desk.follow(ended)).body, /Das Gerät ist abgemeldet/);
    const stillIn = [
      (await phone.get('/account/security')).statusCode,
      (await tablet.get('/account/security')).statusCode,
    ];
    assert.deepEqual(stillIn.sort(), [200, 303], 'exactly one of the two is logged out');
    assert.equal((await desk.get('/account/security')).statusCode, 200, 'this browser stays');

    // An unknown or foreign handle changes nothing.
    assert.equal((await desk.post('/account/sessions/end', { _csrf, session: handles[0] ?? '' })).statusCode, 400);
    assert.equal((await desk.post('/account/sessions/end', { _csrf, session: '0'.repeat(32) })).statusCode, 400);
    assert.equal(await auditCount('session.ended'), 1);
  });

  test('"Überall sonst abmelden" ends every other session: their cookies no longer work', async () => {
    const phone = new Browser(t.fastify);
    await loginAs(phone, safariOnIphone);
    assert.equal((await phone.get('/account/sessions')).statusCode, 200);
    const page = await desk.get('/account/sessions');
    assert.match(page.body, /action="\/account\/sessions\/end-others"/);
    const ended = await desk.post('/account/sessions/end-others', { _csrf: csrfOf(page.body) });
    assert.equal(ended.headers.location, '/account/sessions');
    const after = await desk.follow(ended);
    assert.match(after.body, /Alle anderen Geräte sind abgemeldet/);
    assert.match(after.body, /Sie sind nur auf diesem Gerät angemeldet/);
    assert.equal(handlesOn(after.body).length, 0);
    const phoneNow = await phone.get('/account/sessions');
    assert.equal(phoneNow.statusCode, 303, 'the other browser is logged out');
    assert.match(String(phoneNow.headers.location), /^\/login/);
    const accountId = (await t.app.accounts.byLogin('erika.m'))?.id;
    const left = await t.app.db.query('SELECT 1 FROM sso_sessions WHERE account_id = $1', [accountId]);
    assert.equal(left.rowCount, 1, 'only this browser');
    assert.equal(await auditCount('sessions.ended_elsewhere'), 1);
  });

  test('the login history shows time, means, trust level and the service, newest first', async () => {
    // A login at a service through the SSO session: the history names it.
    const verifier = randomBytes(32).toString('base64url');
    const query = new URLSearchParams({
      client_id: 'fees',
      redirect_uri: 'https://service.example/callback',
      response_type: 'code',
      scope: 'openid',
      state: 'st',
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    });
    await followRedirects(desk, `/oidc/auth?${query}`);
    const page = await desk.get('/account/sessions');
    const table = /<table class="kern-table">(.*?)<\/table>/s.exec(page.body)?.[1] ?? '';
    const rows = [
      ...table.matchAll(
        /<tr class="kern-table__row">\s*<td[^>]*>([^<]+)<\/td>\s*<td[^>]*>([^<]+)<\/td>\s*<td[^>]*>([^<]+)<\/td>\s*<td[^>]*>([^<]*)<\/td>/g,
      ),
    ].map((m) => ({ at: m[1], service: m[2], means: m[3], level: m[4] }));
    assert.ok(rows.length >= 4, `the logins so far (${rows.length})`);
    assert.deepEqual(rows[0], {
      at: rows[0]?.at,
      service: 'Elternbeiträge Online',
      means: 'Passwort',
      level: 'Basisregistrierung',
    });
    assert.deepEqual(
      { service: rows[1]?.service, means: rows[1]?.means, level: rows[1]?.level },
      { service: 'Servicekonto', means: 'Passwort', level: 'Basisregistrierung' },
    );
    assert.match(rows[0]?.at ?? '', /^\d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}$/, 'a date and time in German form');
    assert.match(table, /<th class="kern-table__header" scope="col">Vertrauensniveau<\/th>/);
  });

  test('the history keeps the last 20 logins', async () => {
    for (let i = 0; i < 21; i++) await loginAs(new Browser(t.fastify), firefoxOnWindows);
    const page = await desk.get('/account/sessions');
    const table = /<tbody class="kern-table__body">(.*?)<\/tbody>/s.exec(page.body)?.[1] ?? '';
    assert.equal([...table.matchAll(/<tr /g)].length, 20);
  });

  async function auditCount(action: string): Promise<number> {
    const rows = await t.app.db.query('SELECT 1 FROM audit_events WHERE action = $1', [action]);
    return rows.rowCount;
  }
});
