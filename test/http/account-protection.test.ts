import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import { generate } from 'otplib';
import { passwordEnoughForLow } from '../../src/methods/means-repository.ts';
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
import { createServiceProvider, registerServiceProvider } from '../helpers/saml-sp.ts';
import { walkSamlLogin } from '../helpers/saml-browser.ts';

const redirectUri = 'https://portal.example/callback';
const field = (body: string, name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(body)?.[1] ?? '';

/**
 * Issue 13, points 1, 2 and 7: a second factor protects the whole account.
 * The attacker of the issue knows the password of an account with an
 * authenticator app, and nothing else.
 */
describe('an account with an authenticator app, attacked with the password alone', () => {
  let t: TestApp;
  let owner: Browser;
  let accountId = '';
  let secret = '';
  before(async () => {
    t = await buildTestApp();
    owner = new Browser(t.fastify);
    await registerVerified(t, owner, 'erika.m', 'erika@example.org');
    accountId = (await t.app.accounts.byLogin('erika.m'))?.id ?? '';
    await login(owner, 'erika.m');
    const setup = await owner.get('/account/totp/setup');
    secret = (/<code class="secret">([^<]+)<\/code>/.exec(setup.body)?.[1] ?? '').replace(/\s/g, '');
    const _csrf = /name="_csrf" value="([^"]+)"/.exec(setup.body)?.[1] ?? '';
    const done = await owner.post('/account/totp/setup', { _csrf, code: await code() });
    assert.equal(done.statusCode, 200);
    // A service that needs only niedrig (its minimum level is 1).
    await t.app.services.upsertOidc(
      {
        client_id: 'portal',
        client_secret: 'a-client-secret-of-sufficient-length-123',
        client_name: 'Portal',
        redirect_uris: [redirectUri],
        token_endpoint_auth_method: 'client_secret_basic',
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
      'Bürgerportal',
    );
  });
  after(() => t.close());

  /** A fresh code each time: a code is used once, so the clock moves on by a period. */
  async function code(): Promise<string> {
    t.clock.advance(30_000);
    return generate({ secret, epoch: Math.floor(t.clock.now().getTime() / 1000) });
  }

  const mailsTo = (to: string) => t.mails.filter((m) => m.to === to).map((m) => m.subject);

  test('the sessions list marks a login with the password alone, so a stolen password shows (issue 15)', async () => {
    const attacker = new Browser(t.fastify);
    await login(attacker, 'erika.m');
    const page = await owner.get('/account/sessions');
    assert.equal(page.statusCode, 200);
    const cards = page.body.split('<li class="kern-card">').slice(1);
    const own = cards.filter((c) => c.includes('kern-badge--info">Dieses Gerät'));
    const others = cards.filter((c) => !c.includes('kern-badge--info">Dieses Gerät'));
    assert.equal(own.length, 1);
    assert.doesNotMatch(own[0] ?? '', /Nur mit Passwort angemeldet/, 'the owner confirmed with the app');
    const marked = others.filter((c) => /kern-badge--warning">Nur mit Passwort angemeldet/.test(c));
    assert.ok(marked.length >= 1, 'the password-only login is marked');
    assert.match(marked[0] ?? '', /Waren Sie das nicht, melden Sie sie ab und ändern Sie Ihr Passwort/);
  });

  test('each password confirmation on the security page names its form; "Als verloren sperren" lines up with the text', async () => {
    const page = await owner.get('/account/security');
    assert.equal(page.statusCode, 200);
    const labels = [...page.body.matchAll(/<label class="kern-label" for="([a-z_]*password[^"]*)">([^<]+)</g)].map(
      (m) => m[2] ?? '',
    );
    assert.ok(labels.length >= 3, `password fields: ${labels.join(' | ')}`);
    assert.equal(new Set(labels).size, labels.length, `every label differs: ${labels.join(' | ')}`);
    assert.ok(labels.includes('Ihr Passwort, um neue Wiederherstellungscodes zu erstellen'));
    assert.ok(labels.some((l) => /^Ihr Passwort, um „.+“ zu entfernen$/.test(l)));
    assert.ok(!labels.some((l) => /Zur Bestätigung/.test(l)));
    assert.match(page.body, /<form method="post" action="\/account\/means\/block" class="block-form">/);
    const css = readFileSync(new URL('../../src/web/static/app.css', import.meta.url), 'utf8');
    assert.match(css, /\.block-form \.kern-btn--tertiary \.kern-label \{\s*padding-left: 0;/);
    const profile = await owner.get('/account/profile');
    assert.match(profile.body, /for="email_password">Ihr Passwort, um die E-Mail-Adresse zu ändern</);
  });

  test('renewing the recovery codes from a password-only session is refused and voids nothing (point 1)', async () => {
    const attacker = new Browser(t.fastify);
    await login(attacker, 'erika.m');
    const _csrf = await attacker.csrf('/login/password');
    const before = await t.app.methods.recovery.remaining(t.app.db, accountId);
    const renewed = await attacker.post('/account/recovery-codes', { _csrf, renew_password: goodPassword });
    assert.notEqual(renewed.statusCode, 200);
    assert.doesNotMatch(renewed.body, /<li><code>[A-Z0-9-]{11}<\/code><\/li>/, 'no new codes are shown');
    assert.equal(await t.app.methods.recovery.remaining(t.app.db, accountId), before, "the owner's codes stay valid");
  });

  test('renewing from a session confirmed with the app works and tells the owner by mail (point 1)', async () => {
    const browser = new Browser(t.fastify);
    await login(browser, 'erika.m');
    const confirm = await browser.get('/account/confirm/totp');
    const _csrf = /name="_csrf" value="([^"]+)"/.exec(confirm.body)?.[1] ?? '';
    const confirmed = await browser.post('/account/confirm/totp', { _csrf, code: await code() });
    assert.equal(confirmed.statusCode, 303);
    const csrf = await browser.csrf('/account');
    const renewed = await browser.post('/account/recovery-codes', { _csrf: csrf, renew_password: goodPassword });
    assert.equal(renewed.statusCode, 200);
    assert.equal([...renewed.body.matchAll(/<li><code>[A-Z0-9-]{11}<\/code><\/li>/g)].length, 10);
    await t.app.jobs.runDue();
    assert.ok(mailsTo('erika@example.org').includes('Neue Wiederherstellungscodes'), 'the owner learns of it');
  });

  test('a weaker second factor (an SMS number at niedrig) does not renew the codes either: the maximum is needed (point 1)', async () => {
    const sms = await t.app.db.query<{ id: string }>(
      "INSERT INTO authentication_means (account_id, kind, public_data, level) VALUES ($1, 'sms', $2, 2) RETURNING id",
      [accountId, JSON.stringify({ phone: '+4915123456789' })],
    );
    try {
      const browser = new Browser(t.fastify);
      await login(browser, 'erika.m');
      const page = await browser.get('/account/confirm/sms');
      const _csrf = field(page.body, '_csrf');
      assert.equal((await browser.post('/account/confirm/sms/send', { _csrf })).statusCode, 303);
      const tan =
        /(\d{6})/.exec(
          (await t.app.db.query<{ body: string }>('SELECT body FROM dev_sms_outbox ORDER BY id DESC LIMIT 1')).rows[0]
            ?.body ?? '',
        )?.[1] ?? '';
      assert.equal((await browser.post('/account/confirm/sms', { _csrf, tan })).statusCode, 303);
      const before = await t.app.methods.recovery.remaining(t.app.db, accountId);
      const refused = await browser.post('/account/recovery-codes', { _csrf, renew_password: goodPassword });
      assert.equal(refused.statusCode, 400);
      assert.match(refused.body, /bestätigen Sie zuerst Ihre Anmeldung mit Ihrem zweiten Faktor/);
      assert.equal(await t.app.methods.recovery.remaining(t.app.db, accountId), before);
    } finally {
      await t.app.db.query('DELETE FROM authentication_means WHERE id = $1', [sms.rows[0]?.id]);
    }
  });

  /** The password login of the account area; answers the browser, still only at the password. */
  async function passwordOnly(): Promise<Browser> {
    const browser = new Browser(t.fastify);
    await login(browser, 'erika.m');
    return browser;
  }

  /** Password and app: the account area's login, the confirmation it leads to, and back. */
  async function withApp(): Promise<Browser> {
    const browser = new Browser(t.fastify);
    const loggedIn = await login(browser, 'erika.m');
    const page = await followRedirects(browser, String(loggedIn.headers.location));
    assert.equal(page.finalUrl, '/account/confirm/totp', 'the login asks for the app at once');
    const confirmed = await browser.post('/account/confirm/totp', {
      _csrf: field(page.body, '_csrf'),
      code: await code(),
    });
    assert.equal(confirmed.statusCode, 303);
    assert.equal(confirmed.headers.location, '/account', 'and comes back to where the citizen was going');
    return browser;
  }

  test('with the password alone, Mein Konto shows only the overview and the way to confirm (point 2b)', async () => {
    const attacker = await passwordOnly();
    const page = await attacker.get('/account');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /href="\/account\/confirm\?return=\/account"/);
    assert.match(page.body, /href="\/means\/lost"/);
    assert.doesNotMatch(page.body, /erika@example\.org/, 'not even the e-mail address');
    assert.doesNotMatch(page.body, /<form method="post" action="\/account\//, 'no form of Mein Konto');
    const exported = await attacker.get('/account/export');
    assert.equal(exported.statusCode, 303);
    assert.equal(exported.headers.location, '/account/confirm?return=%2Faccount%2Fexport');
    assert.doesNotMatch(exported.body, /erika/);
    assert.equal((await attacker.get('/account/totp/setup')).statusCode, 303);
  });

  test('with the password alone, no data, password, address, means, codes or setting changes (point 2b)', async () => {
    const attacker = await passwordOnly();
    const _csrf = await attacker.csrf('/login/password');
    const totpId =
      (
        await t.app.db.query<{ id: string }>(
          "SELECT id FROM authentication_means WHERE account_id = $1 AND kind = 'totp'",
          [accountId],
        )
      ).rows[0]?.id ?? '';
    const hash = await t.app.passwords.hashFor(accountId);
    const mailsBefore = t.mails.length;
    const attempts: [string, Record<string, string>][] = [
      ['/account/profile', { given_name: 'Mallory' }],
      ['/account/password', { current_password: goodPassword, new_password: 'Mallory kennt jetzt das Konto 42' }],
      ['/account/email', { new_email: 'mallory@example.org', email_password: goodPassword }],
      ['/account/recovery-codes', { renew_password: goodPassword }],
      ['/account/means/remove', { means_id: totpId, means_password: goodPassword }],
      ['/account/means/block', { means_id: totpId }],
      ['/account/means/rename', { means_id: totpId, means_name: 'Mallory' }],
      ['/account/webauthn/options', {}],
      ['/account/sms', { phone: '+49 151 12345678' }],
      ['/account/second-factor-login', { password_enough: 'yes' }],
      ['/account/delete', { delete_password: goodPassword }],
    ];
    for (const [action, fields] of attempts) {
      const response = await attacker.post(action, { _csrf, ...fields });
      assert.equal(response.statusCode, 303, `${action} is refused`);
      assert.equal(response.headers.location, '/account', `${action} leads to the overview`);
    }
    assert.equal((await t.app.attributes.forAccount(accountId)).get('given_name'), undefined);
    assert.equal(await t.app.passwords.hashFor(accountId), hash);
    assert.equal(await t.app.methods.totp.hasConfirmed(t.app.db, accountId), true);
    assert.equal(await passwordEnoughForLow(t.app.db, accountId), false);
    assert.ok(await t.app.accounts.byId(accountId), 'the account is still there');
    await t.app.jobs.runDue();
    assert.equal(t.mails.length, mailsBefore, 'no mail went anywhere (no change-of-address link either)');
  });

  test('with the password and the app, the citizen reads and changes their own data (point 2b)', async () => {
    const browser = await withApp();
    const page = await browser.get('/account/profile');
    assert.match(page.body, /erika@example\.org/);
    assert.match(page.body, /action="\/account\/profile"/);
    const saved = await browser.post('/account/profile', { _csrf: field(page.body, '_csrf'), given_name: 'Erika' });
    assert.equal((await browser.follow(saved, '/account/profile')).statusCode, 200);
    assert.equal((await t.app.attributes.forAccount(accountId)).get('given_name')?.value, 'Erika');
    assert.equal((await browser.get('/account/export')).statusCode, 200);
  });

  /** An OIDC login at the portal up to the page after the password. */
  async function portalLogin(browser: Browser) {
    const verifier = randomBytes(32).toString('base64url');
    const query = new URLSearchParams({
      client_id: 'portal',
      redirect_uri: redirectUri,
      response_type: 'code',
      scope: 'openid',
      state: 's',
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    });
    const choice = await followRedirects(browser, `/oidc/auth?${query}`);
    const form = await browser.get(`${choice.finalUrl}/password`);
    const posted = await browser.post(`${choice.finalUrl}/password`, {
      _csrf: field(form.body, '_csrf'),
      username: 'erika.m',
      password: goodPassword,
    });
    assert.equal(posted.statusCode, 303);
    return followRedirects(browser, String(posted.headers.location));
  }

  test('a login to a service that needs only niedrig asks for the app by default; the citizen may turn that off, with a mail (point 2a, 2c)', async () => {
    const browser = new Browser(t.fastify);
    const asked = await portalLogin(browser);
    assert.match(asked.finalUrl, /^\/interaction\/[^/]+\/totp$/, 'the password alone does not reach the service');
    assert.match(asked.body, /Ihr Konto ist mit einem zweiten Faktor geschützt/);
    const confirmed = await browser.post(asked.finalUrl, { _csrf: field(asked.body, '_csrf'), code: await code() });
    assert.match(
      (await followRedirects(browser, String(confirmed.headers.location))).body,
      /action="\/interaction\/[^"]+\/consent"/,
      'with the app it goes on',
    );

    const owner = await withApp();
    const page = await owner.get('/account/security');
    assert.match(page.body, /action="\/account\/second-factor-login"/);
    const off = await owner.post('/account/second-factor-login', {
      _csrf: field(page.body, '_csrf'),
      password_enough: 'yes',
    });
    assert.match((await owner.follow(off, '/account/security')).body, /genügt jetzt Ihr Passwort/);
    assert.equal(await passwordEnoughForLow(t.app.db, accountId), true);
    await t.app.jobs.runDue();
    assert.ok(mailsTo('erika@example.org').includes('Anmeldung ohne zweiten Faktor erlaubt'));

    const allowed = await portalLogin(new Browser(t.fastify));
    assert.match(
      allowed.body,
      /action="\/interaction\/[^"]+\/consent"/,
      'now the password leads on to the consent page',
    );
    // Mein Konto still asks: the setting is for services only.
    const account = await login(new Browser(t.fastify), 'erika.m');
    assert.equal(account.headers.location, '/account/confirm?return=%2Faccount');

    const on = await owner.post('/account/second-factor-login', {
      _csrf: field(page.body, '_csrf'),
      password_enough: 'no',
    });
    assert.equal(on.statusCode, 303);
    assert.match((await portalLogin(new Browser(t.fastify))).finalUrl, /\/totp$/);
  });

  test('a SAML login asks for the app as well; without it the service gets nothing (point 2a)', async () => {
    const provider = await createServiceProvider(t.app);
    await registerServiceProvider(t.app, provider);
    const browser = new Browser(t.fastify);
    const url = new URL(await provider.sp.getAuthorizeUrlAsync('relay', undefined, {}));
    const page = await walkSamlLogin(browser, await followRedirects(browser, `${url.pathname}${url.search}`));
    assert.match(page.finalUrl, /^\/saml\/login\/s_[^/]+\/totp$/, 'after the password, the app');
    assert.doesNotMatch(page.body, /name="SAMLResponse"/);
    assert.match(page.body, /Ihr Konto ist mit einem zweiten Faktor geschützt/);
  });

  test('every change of the login is told to the owner by mail (point 2c)', async () => {
    const owner = await withApp();
    await t.app.jobs.runDue();
    assert.ok(mailsTo('erika@example.org').includes('Neues Anmeldemittel'), 'the app, when it was set up');
    const page = await owner.get('/account');
    const changed = await owner.post('/account/password', {
      _csrf: field(page.body, '_csrf'),
      current_password: goodPassword,
      new_password: 'Drei Hunde bellen im Garten',
    });
    assert.equal(changed.statusCode, 303);
    const totpId =
      (
        await t.app.db.query<{ id: string }>(
          "SELECT id FROM authentication_means WHERE account_id = $1 AND kind = 'totp'",
          [accountId],
        )
      ).rows[0]?.id ?? '';
    const removed = await owner.post('/account/means/remove', {
      _csrf: field(page.body, '_csrf'),
      means_id: totpId,
      means_password: 'Drei Hunde bellen im Garten',
    });
    assert.equal(removed.statusCode, 303);
    await t.app.jobs.runDue();
    const subjects = mailsTo('erika@example.org');
    assert.ok(subjects.includes('Ihr Passwort wurde geändert'));
    assert.ok(subjects.includes('Anmeldemittel entfernt'));
    // Without a second factor the password is enough again, as before; there is no login setting to weaken.
    const plain = new Browser(t.fastify);
    assert.equal((await login(plain, 'erika.m', 'Drei Hunde bellen im Garten')).headers.location, '/account');
    assert.match((await plain.get('/account/profile')).body, /action="\/account\/profile"/);
    const plainPage = await plain.get('/account/security');
    assert.match(plainPage.body, /action="\/account\/password"/);
    assert.doesNotMatch(plainPage.body, /action="\/account\/second-factor-login"/);
    assert.equal(
      (
        await plain.post('/account/second-factor-login', {
          _csrf: field(plainPage.body, '_csrf'),
          password_enough: 'yes',
        })
      ).statusCode,
      400,
    );
    // A new address: the old one is told once the new one is confirmed.
    const asked = await plain.post('/account/email', {
      _csrf: field(plainPage.body, '_csrf'),
      new_email: 'erika.neu@example.org',
      email_password: 'Drei Hunde bellen im Garten',
    });
    assert.equal(asked.headers.location, '/account/profile');
    await t.app.jobs.runDue();
    assert.equal(
      (await plain.get(linkFrom(t.mails.findLast((m) => m.to === 'erika.neu@example.org')))).headers.location,
      '/account/profile',
    );
    await t.app.jobs.runDue();
    assert.ok(
      mailsTo('erika@example.org').includes('Die E-Mail-Adresse Ihres Servicekontos wurde geändert'),
      'the old address hears of it',
    );
  });
});
