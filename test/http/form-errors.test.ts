// Error messages that name the field (issue 15 point 3): an empty form says
// what to enter for each field, and the summary takes the focus on load.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Browser, buildTestApp, type TestApp } from '../helpers/test-app.ts';

const summaryItems = (body: string) =>
  [...body.matchAll(/<li><a class="kern-link" href="#([^"]+)">([^<]+)<\/a><\/li>/g)].map((m) => [m[1], m[2]]);

describe('error messages that name the field', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
  });
  after(() => t.close());

  test('an empty registration names each missing field, once each', async () => {
    const browser = new Browser(t.fastify);
    const _csrf = await browser.csrf('/register');
    const response = await browser.post('/register', { _csrf, username: '', email: '', password: '', password2: '' });
    assert.equal(response.statusCode, 400);
    const items = summaryItems(response.body);
    assert.deepEqual(items.slice(0, 3), [
      ['username', 'Geben Sie einen Benutzernamen ein.'],
      ['email', 'Geben Sie Ihre E-Mail-Adresse ein.'],
      ['password', 'Geben Sie Ihr Passwort ein.'],
    ]);
    assert.equal(new Set(items.map(([, message]) => message)).size, items.length, 'no message twice');
    assert.doesNotMatch(response.body, /Bitte füllen Sie dieses Feld aus/);
    assert.match(response.body, /class="[^"]*error-summary"[^>]* tabindex="-1" autofocus>/);
    // The same message stands at the field, tied to it for screen readers.
    assert.match(response.body, /<p class="kern-error" id="username-error">.*Geben Sie einen Benutzernamen ein\./);
    assert.match(response.body, /id="username"[^>]*aria-describedby="[^"]*username-error"/);
  });

  test('an empty login asks for the username or e-mail address and the password', async () => {
    const browser = new Browser(t.fastify);
    const _csrf = await browser.csrf('/login/password');
    const response = await browser.post('/login/password', { _csrf, username: '', password: '' });
    assert.equal(response.statusCode, 400);
    assert.deepEqual(summaryItems(response.body), [
      ['username', 'Geben Sie Ihren Benutzernamen oder Ihre E-Mail-Adresse ein.'],
      ['password', 'Geben Sie Ihr Passwort ein.'],
    ]);
  });

  test('in English, too', async () => {
    const browser = new Browser(t.fastify);
    await browser.get('/language?lang=en&return=%2Flogin');
    const _csrf = await browser.csrf('/login/password');
    const response = await browser.post('/login/password', { _csrf, username: 'erika', password: '' });
    assert.deepEqual(summaryItems(response.body), [['password', 'Enter your password.']]);
  });
});
