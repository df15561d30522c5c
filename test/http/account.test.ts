import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Browser,
  buildTestApp,
  goodPassword,
  linkFrom,
  login,
  registerVerified,
  type TestApp,
} from '../helpers/test-app.ts';

describe('Mein Konto', () => {
  let t: TestApp;
  let browser: Browser;
  before(async () => {
    t = await buildTestApp();
    browser = new Browser(t.fastify);
    await registerVerified(t, browser, 'erika.m', 'erika@example.org');
    await login(browser, 'erika.m');
  });
  after(() => t.close());

  test('without a session the account page sends the citizen to the login', async () => {
    const response = await new Browser(t.fastify).get('/account');
    assert.equal(response.statusCode, 303);
    assert.equal(response.headers.location, '/login?return=/account');
  });

  test('a section opened without a session (a bookmark) is where the login leads back to', async () => {
    const stranger = new Browser(t.fastify);
    const response = await stranger.get('/account/sessions');
    assert.equal(response.statusCode, 303);
    assert.equal(response.headers.location, '/login?return=/account/sessions');
    const choice = await stranger.get('/login?return=/account/sessions');
    assert.match(choice.body, /href="\/login\/password\?return=%2Faccount%2Fsessions"/, 'the choice keeps the return');
    const _csrf = await stranger.csrf('/login/password?return=/account/sessions');
    const loggedIn = await stranger.post('/login/password', {
      _csrf,
      username: 'erika.m',
      password: goodPassword,
      return: '/account/sessions',
    });
    assert.equal(loggedIn.headers.location, '/account/sessions');
  });

  test('logging out leads to the one logged-out page by a redirect, so a reload posts nothing again', async () => {
    const leaving = new Browser(t.fastify);
    await login(leaving, 'erika.m');
    const _csrf = await leaving.csrf('/account');
    const out = await leaving.post('/logout', { _csrf });
    assert.equal(out.statusCode, 303);
    assert.equal(out.headers.location, '/logout/done');
    const done = await leaving.get('/logout/done');
    assert.match(done.body, /Sie sind jetzt abgemeldet/);
    assert.equal((await leaving.get('/account')).statusCode, 303, 'the session ended');
  });

  test('profile data are stored with trust level basis and source typed', async () => {
    const _csrf = await browser.csrf('/account');
    const posted = await browser.post('/account/profile', {
      _csrf,
      given_name: 'Erika',
      family_name: 'Mustermann',
      birthdate: '1964-08-12',
      nationality: 'de',
      locality: 'Köln',
    });
    const response = await browser.follow(posted, '/account/profile');
    assert.equal(response.statusCode, 200);
    assert.match(response.body, /Ihre Angaben sind gespeichert/);
    assert.match(
      response.body,
      /<a class="kern-link account-nav__link" href="\/account\/profile" aria-current="page">/,
    );
    assert.doesNotMatch((await browser.get('/account/profile')).body, /Ihre Angaben sind gespeichert/, 'shown once');
    const account = await t.app.accounts.byLogin('erika.m');
    const attributes = await t.app.attributes.forAccount(account?.id ?? '');
    assert.equal(attributes.get('given_name')?.value, 'Erika');
    assert.equal(attributes.get('given_name')?.trustLevel, 1);
    assert.equal(attributes.get('nationality')?.value, 'DE');
    assert.equal(attributes.get('birthdate')?.source, 'typed');
  });

  test('dates typed as people write them, countries and nationalities chosen by name (issue 15 point 4)', async () => {
    const _csrf = await browser.csrf('/account/profile');
    const posted = await browser.post('/account/profile', {
      _csrf,
      birthdate: '12.08.1964',
      nationality: 'DE',
      country: 'AT',
    });
    assert.equal(posted.statusCode, 303);
    const account = await t.app.accounts.byLogin('erika.m');
    const attributes = await t.app.attributes.forAccount(account?.id ?? '');
    assert.equal(attributes.get('birthdate')?.value, '1964-08-12', 'stored as ISO 8601');
    const page = (await browser.get('/account/profile')).body;
    assert.match(page, /<select class="kern-form-input__select" id="nationality" name="nationality">/);
    assert.match(page, /<option value="DE" selected>deutsch<\/option>/);
    assert.match(page, /<option value="AT" selected>Österreich<\/option>/);
    assert.match(page, /<div class="kern-hint" id="birthdate-hint">Zum Beispiel 23\.04\.1980<\/div>/);
    assert.doesNotMatch(page, /Ländercode/);
    const refused = await browser.post('/account/profile', { _csrf, country: 'ZZ' });
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /Wählen Sie ein Land aus der Liste/);
  });

  test('invalid profile data are refused and nothing already stored is lost', async () => {
    const _csrf = await browser.csrf('/account');
    const response = await browser.post('/account/profile', { _csrf, given_name: 'Eve', birthdate: '2001-02-30' });
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /gültiges Geburtsdatum ein, zum Beispiel 23\.04\.1980/);
    assert.match(
      response.body,
      /<h1 class="kern-heading-large">Persönliche Daten<\/h1>/,
      'the section page, not the overview',
    );
    assert.doesNotMatch(response.body, /action="\/account\/password"/, 'no other section on it');
    const account = await t.app.accounts.byLogin('erika.m');
    assert.equal((await t.app.attributes.forAccount(account?.id ?? '')).get('given_name')?.value, 'Erika');
  });

  test('changing the password needs the current one', async () => {
    const _csrf = await browser.csrf('/account');
    const wrong = await browser.post('/account/password', {
      _csrf,
      current_password: 'not it at all',
      new_password: 'Ein ganz neues Passwort',
    });
    assert.equal(wrong.statusCode, 400);
    assert.match(wrong.body, /aktuelle Passwort ist falsch/);
    assert.match(wrong.body, /<h1 class="kern-heading-large">Anmeldung und Sicherheit<\/h1>/);
    // The language switch on this answer leads to a page, not to the address only posted to (a 404).
    const switchHref = /href="(\/language\?[^"]+)"/.exec(wrong.body)?.[1]?.replaceAll('&amp;', '&');
    assert.ok(switchHref);
    const switched = await browser.get(switchHref);
    assert.equal(switched.headers.location, '/account');
    assert.equal((await browser.get('/account')).statusCode, 200);
    await browser.get('/language?lang=de&return=%2Faccount');
    const ok = await browser.post('/account/password', {
      _csrf,
      current_password: goodPassword,
      new_password: 'Ein ganz neues Passwort',
    });
    assert.match((await browser.follow(ok, '/account/security')).body, /Ihr Passwort ist geändert/);
    assert.equal((await login(new Browser(t.fastify), 'erika.m', 'Ein ganz neues Passwort')).statusCode, 303);
    await browser.post('/account/password', {
      _csrf,
      current_password: 'Ein ganz neues Passwort',
      new_password: goodPassword,
    });
  });

  test('a new e-mail address counts only once confirmed', async () => {
    const _csrf = await browser.csrf('/account');
    const withoutPassword = await browser.post('/account/email', {
      _csrf,
      new_email: 'erika.neu@example.org',
      email_password: 'not my password',
    });
    assert.equal(withoutPassword.statusCode, 400, 'the current password is needed');
    const response = await browser.post('/account/email', {
      _csrf,
      new_email: 'erika.neu@example.org',
      email_password: goodPassword,
    });
    assert.match(
      (await browser.follow(response, '/account/profile')).body,
      /Bestätigungslink an erika.neu@example.org/,
    );
    const before = await t.app.accounts.byLogin('erika.m');
    assert.equal(before?.email, 'erika@example.org');
    await t.app.jobs.runDue();
    const link = linkFrom(t.mails.findLast((m) => m.to === 'erika.neu@example.org'));
    assert.match(
      (await browser.follow(await browser.get(link), '/account/profile')).body,
      /neue E-Mail-Adresse ist bestätigt/,
    );
    assert.equal((await t.app.accounts.byLogin('erika.m'))?.email, 'erika.neu@example.org');
    assert.ok(
      t.mails.some((m) => m.to === 'erika@example.org' && /geändert/.test(m.subject)),
      'the old address is told',
    );
    assert.equal((await browser.get(link)).statusCode, 400, 'the link is single-use');
  });

  test('the export holds the account, profile and consents as JSON', async () => {
    const response = await browser.get('/account/export');
    assert.equal(response.statusCode, 200);
    assert.match(String(response.headers['content-disposition']), /attachment/);
    const data = JSON.parse(response.body) as {
      account: { username: string };
      identity_attributes: { name: string; trust_level: number }[];
      authentication_means: { kind: string; secret?: string }[];
    };
    assert.equal(data.account.username, 'erika.m');
    assert.ok(data.identity_attributes.some((a) => a.name === 'family_name' && a.trust_level === 1));
    assert.equal(data.authentication_means[0]?.kind, 'password');
    assert.equal(data.authentication_means[0]?.secret, undefined, 'no hash in the export');
  });

  test('the language switch turns the page English and back', async () => {
    const switched = await browser.get('/language?lang=en&return=%2Faccount');
    assert.equal(switched.statusCode, 303);
    assert.equal(switched.headers.location, '/account');
    const page = await browser.get('/account');
    assert.match(page.body, /<html lang="en">/);
    assert.match(page.body, /My account/);
    const evil = await browser.get('/language?lang=de&return=%2F%2Fevil.example');
    assert.equal(evil.headers.location, '/', 'no open redirect');
  });

  test('deleting the account needs the password, removes the data and leaves an audit entry without personal data', async () => {
    const account = await t.app.accounts.byLogin('erika.m');
    const _csrf = await browser.csrf('/account');
    assert.equal(
      (await browser.post('/account/delete', { _csrf, delete_password: 'wrong password here' })).statusCode,
      400,
    );
    const response = await browser.post('/account/delete', { _csrf, delete_password: goodPassword });
    assert.equal(response.statusCode, 200);
    assert.equal(await t.app.accounts.byLogin('erika.m'), undefined);
    const leftovers = await t.app.db.query(
      'SELECT 1 FROM identity_attributes WHERE account_id = $1 UNION ALL SELECT 1 FROM sso_sessions WHERE account_id = $1',
      [account?.id],
    );
    assert.equal(leftovers.rowCount, 0);
    const audit = await t.app.db.query<{ details: object; subject: string }>(
      "SELECT details, subject FROM audit_events WHERE action = 'account.deleted'",
    );
    assert.equal(audit.rows[0]?.subject, `account:${account?.id}`);
    assert.doesNotMatch(JSON.stringify(audit.rows), /erika/i);
    assert.equal(await t.app.audit.verify(t.app.db), undefined, 'the audit hash chain is intact');
  });
});
