import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Browser,
  buildTestApp,
  confirmMailLink,
  goodPassword,
  linkFrom,
  login,
  type TestApp,
} from '../helpers/test-app.ts';
import { termsVersion } from '../../src/flows/registration/terms.ts';

describe('registration and e-mail confirmation', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
  });
  after(() => t.close());

  const count = async (table: string) =>
    Number((await t.app.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]?.n);

  test('a form without CSRF token is refused with 403 and stores nothing', async () => {
    const browser = new Browser(t.fastify);
    const response = await browser.post('/register', {
      username: 'mallory',
      email: 'm@example.org',
      password: goodPassword,
      password2: goodPassword,
    });
    assert.equal(response.statusCode, 403);
    assert.match(response.body, /Formular ist abgelaufen/);
    assert.equal(await count('accounts'), 0);
  });

  test('a wrong CSRF token is refused too', async () => {
    const browser = new Browser(t.fastify);
    await browser.csrf('/register');
    const response = await browser.post('/register', {
      _csrf: 'x'.repeat(43),
      username: 'mallory',
      email: 'm@example.org',
      password: goodPassword,
      password2: goodPassword,
    });
    assert.equal(response.statusCode, 403);
  });

  test('invalid fields come back with an error summary linking to each field', async () => {
    const browser = new Browser(t.fastify);
    const _csrf = await browser.csrf('/register');
    const response = await browser.post('/register', {
      _csrf,
      username: 'a',
      email: 'not-an-email',
      password: 'password1234',
      password2: 'other',
    });
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /href="#username"/);
    assert.match(response.body, /href="#email"/);
    assert.match(response.body, /zu bekannt/); // password1234 is a common password
    assert.match(response.body, /aria-invalid="true"/);
    assert.equal(await count('accounts'), 0);
  });

  test('oversized and malformed fields get 413 and 400, never 5xx', async () => {
    const browser = new Browser(t.fastify);
    const _csrf = await browser.csrf('/register');
    const huge = await browser.post('/register', {
      _csrf,
      username: 'x'.repeat(5000),
      email: 'a@b.de',
      password: goodPassword,
      password2: goodPassword,
    });
    assert.equal(huge.statusCode, 413);
    const body = await browser.post('/register', { _csrf, username: 'y'.repeat(70_000) });
    assert.equal(body.statusCode, 413);
    const repeated = await t.fastify.inject({
      method: 'POST',
      url: '/register',
      payload: `_csrf=${_csrf}&username=a&username=b`,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        cookie: [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      },
    });
    assert.equal(repeated.statusCode, 400);
    const json = await t.fastify.inject({
      method: 'POST',
      url: '/register',
      payload: '{"a":1}',
      headers: { 'content-type': 'application/json' },
    });
    assert.ok(json.statusCode >= 400 && json.statusCode < 500, `got ${json.statusCode}`);
    assert.equal(await count('accounts'), 0);
  });

  test('the terms of use must be accepted; the error names them beside the box', async () => {
    const browser = new Browser(t.fastify);
    const _csrf = await browser.csrf('/register');
    const form = await browser.get('/register');
    assert.match(form.body, /type="checkbox" id="terms" name="terms" value="yes" required/);
    assert.match(form.body, /<a class="kern-link" href="\/nutzungsbedingungen"[^>]*>Nutzungsbedingungen/);
    const response = await browser.post('/register', {
      _csrf,
      username: 'no.terms',
      email: 'noterms@example.org',
      password: goodPassword,
      password2: goodPassword,
    });
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /href="#terms">Bitte akzeptieren Sie die Nutzungsbedingungen/);
    assert.match(response.body, /id="terms-error"/);
    assert.match(response.body, /aria-describedby="terms-error"/);
    assert.equal(await count('accounts'), 0);
  });

  test('the form answers with a redirect: reloading the "check your mail" page posts nothing again', async () => {
    const browser = new Browser(t.fastify);
    const _csrf = await browser.csrf('/register');
    const before = t.clock.now();
    const response = await browser.post('/register', {
      _csrf,
      username: 'reload.user',
      email: 'reload@example.org',
      password: goodPassword,
      password2: goodPassword,
      terms: 'yes',
    });
    assert.equal(response.statusCode, 303);
    assert.equal(response.headers.location, '/register/sent');
    for (let i = 0; i < 2; i++) {
      const sent = await browser.get('/register/sent');
      assert.equal(sent.statusCode, 200);
      assert.match(sent.body, /Wir haben eine E-Mail an reload@example.org geschickt/);
      assert.doesNotMatch(sent.body, /schon vergeben/);
    }
    assert.equal(await count('accounts'), 1);
    const stored = await t.app.db.query<{ terms_accepted_at: Date; terms_version: string }>(
      "SELECT terms_accepted_at, terms_version FROM accounts WHERE username = 'reload.user'",
    );
    assert.equal(stored.rows[0]?.terms_version, termsVersion);
    assert.equal(stored.rows[0]?.terms_accepted_at.getTime(), before.getTime());
  });

  test('opening the link changes nothing (a mail scanner may fetch it); the button confirms; opening it again says the account is active', async () => {
    const browser = new Browser(t.fastify);
    const _csrf = await browser.csrf('/register');
    await browser.post('/register', {
      _csrf,
      username: 'max.m',
      email: 'max@example.org',
      password: goodPassword,
      password2: goodPassword,
      terms: 'yes',
    });
    await t.app.jobs.runDue();
    const link = linkFrom(t.mails.findLast((m) => m.to === 'max@example.org'));
    // A scanner prefetches it, without cookies, twice.
    const scanner = new Browser(t.fastify);
    for (let i = 0; i < 2; i++) {
      const page = await scanner.get(link);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /<button[^>]*>[\s\S]*Konto bestätigen/);
      assert.match(page.body, /Benutzernamen „max.m“/);
    }
    assert.equal((await t.app.accounts.byLogin('max.m'))?.emailVerifiedAt, null);
    assert.equal((await login(browser, 'max.m')).statusCode, 400, 'not yet active');

    // The citizen, on a phone that never saw the site: no CSRF cookie, the link's token is the proof.
    const phone = new Browser(t.fastify);
    const confirmed = await confirmMailLink(phone, link);
    assert.equal(confirmed.statusCode, 303);
    assert.equal(confirmed.headers.location, '/login');
    assert.notEqual((await t.app.accounts.byLogin('max.m'))?.emailVerifiedAt, null);
    const loginPage = await phone.get('/login');
    assert.match(loginPage.body, /Ihr Konto ist aktiv. Melden Sie sich jetzt an./);
    assert.doesNotMatch((await phone.get('/login')).body, /Ihr Konto ist aktiv/, 'said once');

    // Opened again (on the desktop, or the button pressed twice): the account is active, no error.
    const again = await browser.get(link);
    assert.equal(again.statusCode, 200);
    assert.match(again.body, /Ihr Konto ist schon aktiv/);
    assert.match(again.body, /href="\/login"/);
    assert.doesNotMatch(again.body, /<form method="post" action="\/verify-email"/);
    const token = new URL(link, 'http://x').searchParams.get('token') ?? '';
    const twice = await phone.post('/verify-email', { token });
    assert.equal(twice.statusCode, 303);
    assert.equal(twice.headers.location, `/verify-email?token=${token}`);
    assert.equal((await login(browser, 'max.m')).statusCode, 303);
  });

  test('"send again" answers with a redirect too: a reload sends no further mail', async () => {
    const browser = new Browser(t.fastify);
    const _csrf = await browser.csrf('/register/sent');
    const before = t.mails.length;
    const posted = await browser.post('/register/resend', { _csrf, email: 'reload@example.org' });
    assert.equal(posted.statusCode, 303);
    assert.equal(posted.headers.location, '/register/sent?resent=1');
    const page = await browser.get('/register/sent?resent=1');
    assert.match(page.body, /ist eine neue E-Mail unterwegs/);
    await t.app.jobs.runDue();
    assert.equal(t.mails.length, before + 1, 'one new link for the unconfirmed registration');
    await browser.get('/register/sent?resent=1');
    await t.app.jobs.runDue();
    assert.equal(t.mails.length, before + 1, 'the reload sent nothing');
  });

  test('an unknown or malformed token is refused on the page and by the button', async () => {
    const browser = new Browser(t.fastify);
    assert.equal((await browser.get('/verify-email?token=unknown')).statusCode, 400);
    assert.equal((await browser.get('/verify-email')).statusCode, 400);
    assert.equal((await browser.post('/verify-email', { token: 'unknown' })).statusCode, 400);
    assert.equal((await browser.post('/verify-email', {})).statusCode, 400);
    assert.equal((await browser.post('/verify-email', { token: 'x'.repeat(500) })).statusCode, 400);
  });

  test('an expired confirmation link is refused and the account stays unconfirmed', async () => {
    const browser = new Browser(t.fastify);
    const _csrf = await browser.csrf('/register');
    await browser.post('/register', {
      _csrf,
      username: 'late.user',
      email: 'late@example.org',
      password: goodPassword,
      password2: goodPassword,
      terms: 'yes',
    });
    await t.app.jobs.runDue();
    const link = linkFrom(t.mails.findLast((m) => m.to === 'late@example.org'));
    t.clock.advance(49 * 3600 * 1000);
    const response = await browser.get(link);
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /abgelaufen/);
    const pressed = await browser.post('/verify-email', {
      token: new URL(link, 'http://x').searchParams.get('token') ?? '',
    });
    assert.equal(pressed.statusCode, 400);
    const login2 = await login(browser, 'late.user');
    assert.equal(login2.statusCode, 400);
    assert.match(login2.body, /bestätigen Sie zuerst/);
  });

  test('registering an address that exists gives the same answer; its owner gets a way back in, the stranger never the address', async () => {
    const browser = new Browser(t.fastify);
    const _csrf = await browser.csrf('/register');
    const response = await browser.post('/register', {
      _csrf,
      username: 'someone.else',
      email: 'max@example.org',
      password: goodPassword,
      password2: goodPassword,
      terms: 'yes',
    });
    assert.equal(response.statusCode, 303);
    assert.match((await browser.get('/register/sent')).body, /Wir haben eine E-Mail an max@example.org geschickt/);
    await t.app.jobs.runDue();
    const mail = t.mails.findLast((m) => m.to === 'max@example.org');
    assert.equal(mail?.subject, 'Sie haben schon ein Servicekonto');
    assert.match(mail?.text ?? '', /Benutzernamen „max.m“/);
    assert.match(
      linkFrom(mail),
      /^\/reset-password\?token=/,
      'a password reset link, never a confirmation of the new password',
    );
    // The stranger's registration exists like any other (the same work either way), but it got no
    // confirmation link, cannot log in, and the address stays with its owner.
    assert.equal(t.mails.filter((m) => /someone\.else/.test(m.text)).length, 0);
    assert.equal((await t.app.accounts.byLogin('someone.else'))?.emailVerifiedAt, null);
    assert.equal((await t.app.accounts.byEmail('max@example.org'))?.username, 'max.m');
    assert.equal((await login(new Browser(t.fastify), 'someone.else')).statusCode, 400);
  });

  test('parallel registrations of one name: one account, the other gets a field error, no 5xx', async () => {
    const statuses = await Promise.all(
      [0, 1, 2].map(async (i) => {
        const browser = new Browser(t.fastify);
        const _csrf = await browser.csrf('/register');
        return (
          await browser.post('/register', {
            _csrf,
            username: 'twin.name',
            email: `twin${i}@example.org`,
            password: goodPassword,
            password2: goodPassword,
            terms: 'yes',
          })
        ).statusCode;
      }),
    );
    assert.ok(
      statuses.every((s) => s === 303 || s === 400),
      statuses.join(' '),
    );
    assert.equal(statuses.filter((s) => s === 303).length, 1);
  });

  test('mails are sent in German and English, as text and HTML', async () => {
    const browser = new Browser(t.fastify);
    const _csrf = await browser.csrf('/register');
    await browser.post(
      '/register',
      {
        _csrf,
        username: 'john.doe',
        email: 'john@example.org',
        password: goodPassword,
        password2: goodPassword,
        terms: 'yes',
      },
      { 'accept-language': 'en-GB,en;q=0.9' },
    );
    await t.app.jobs.runDue();
    const mail = t.mails.findLast((m) => m.to === 'john@example.org');
    assert.equal(mail?.subject, 'Please confirm your e-mail address');
    assert.match(mail?.html ?? '', /<a href="http:\/\/localhost:3000\/verify-email\?token=/);
    const german = t.mails.find((m) => m.to === 'max@example.org');
    assert.equal(german?.subject, 'Bitte bestätigen Sie Ihre E-Mail-Adresse');
  });
});
